"""Clients that call the API as an organisation would: with its API key."""

from typing import Any

from django.test import Client

from accounts.models import Organisation
from partners.keys import IssuedKey, issue_key


def issue(organisation: Organisation, name: str = "Case system", **kwargs: Any) -> IssuedKey:
    return issue_key(organisation=organisation, name=name, acting_user=None, **kwargs)


def key_client(key: str) -> Client:
    """A client that sends ``key`` as an organisation's system would."""
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_ACCEPT="application/json")


def client_for(organisation: Organisation) -> Client:
    return key_client(issue(organisation).key)


def session_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
