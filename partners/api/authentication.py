"""Requests made with an organisation's API key: ``Authorization: Api-Key <key>``."""

from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from partners.keys import principal_for

KEYWORD = "Api-Key"


class OrganisationKeyAuthentication(BaseAuthentication):
    """The request acts as the key's organisation (its API account), from the moment
    the key is issued until it is revoked or expires: checked at every request.

    A request that names a key that does not work is refused (401), never treated
    as anonymous or handed to the next way of signing in.
    """

    key_parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = self.key_parser.get(request)
        if key is None:
            return None
        found = principal_for(key.strip(), now=timezone.now())
        if found is None:
            raise AuthenticationFailed(
                "This API key is not valid: it may be mistyped, revoked or expired."
            )
        return found

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class OrganisationKeyScheme(OpenApiAuthenticationExtension):
    target_class = OrganisationKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Your organisation's API key, after the word `Api-Key`: "
                "`Authorization: Api-Key AbCd1234.XyZ...`. Your Navigator administrator "
                "issues it (it is shown once) and can revoke or rotate it. The part before "
                "the dot is the key's prefix, which names it in lists and logs."
            ),
        }
