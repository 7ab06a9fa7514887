from tests.faults.servers import private_postgres, private_redis, workers  # noqa: F401 - fixtures
