"""Server-side request forgery: which URLs a webhook may be sent to, as a table."""

import pytest

from webhooks.addresses import AddressRefused, check_url


def resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


DNS = resolver(
    {
        "partner.example.org": ["93.184.216.34"],
        "two.example.org": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
        "sneaky.example.org": ["93.184.216.34", "10.1.2.3"],  # one bad answer is enough
        "internal.example.org": ["192.168.0.10"],
        "metadata.example.org": ["169.254.169.254"],
        "localhost": ["127.0.0.1", "::1"],
        "nothing.example.org": [],
    }
)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://partner.example.org/hooks", "93.184.216.34"),
        ("https://PARTNER.example.org:8443/hooks?x=1", "93.184.216.34"),
        ("https://two.example.org/", "93.184.216.34"),
        ("https://93.184.216.34/hooks", "93.184.216.34"),
    ],
)
def test_public_https_is_allowed(url: str, address: str) -> None:
    assert check_url(url, allow_http_loopback=False, resolver=DNS).address == address


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://partner.example.org/hooks", "https"),
        ("ftp://partner.example.org/hooks", "full URL"),
        ("partner.example.org/hooks", "full URL"),
        ("https://user:pw@partner.example.org/", "user name"),
        ("https://localhost/hooks", "loopback"),
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://127.9.9.9/hooks", "loopback"),
        ("https://[::1]/hooks", "loopback"),
        ("https://[::ffff:127.0.0.1]/hooks", "loopback"),
        ("https://10.0.0.1/hooks", "private"),
        ("https://172.16.5.4/hooks", "private"),
        ("https://192.168.1.1/hooks", "private"),
        ("https://[fd00::1]/hooks", "private"),
        ("https://internal.example.org/hooks", "private"),
        ("https://sneaky.example.org/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://metadata.example.org/", "link-local"),
        ("https://[fe80::1]/hooks", "link-local"),
        ("https://224.0.0.1/hooks", "multicast"),
        ("https://[ff02::1]/hooks", "multicast"),
        ("https://0.0.0.0/hooks", "unspecified"),
        ("https://240.0.0.1/hooks", "reserved"),
        ("https://100.64.0.1/hooks", "public"),  # carrier-grade NAT: shared, not public
        ("https://nowhere.example.org/hooks", "does not resolve"),
        ("https://nothing.example.org/hooks", "does not resolve"),
        ("https://partner.example.org:99999/", "full URL"),
    ],
)
def test_refused_in_production(url: str, words: str) -> None:
    with pytest.raises(AddressRefused, match=words):
        check_url(url, allow_http_loopback=False, resolver=DNS)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8001/hooks",
        "http://localhost:8001/",
        "https://[::1]/",
        "https://localhost/",
    ],
)
def test_the_development_setting_allows_loopback(url: str) -> None:
    assert check_url(url, allow_http_loopback=True, resolver=DNS).address in ("127.0.0.1", "::1")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://partner.example.org/", "only to this machine"),
        ("http://10.0.0.1/", "private"),
        ("https://192.168.1.1/", "private"),
        ("http://169.254.169.254/", "link-local"),
    ],
)
def test_the_development_setting_allows_nothing_else(url: str, words: str) -> None:
    with pytest.raises(AddressRefused, match=words):
        check_url(url, allow_http_loopback=True, resolver=DNS)
