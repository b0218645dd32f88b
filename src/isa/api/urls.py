from django.urls import path

from isa.api.main import api
from isa.api.views import tokens

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/api-tokens/new/", tokens.token_create, name="api_token_create"),
    path("accounts/api-tokens/<id:token_id>/revoke/", tokens.token_revoke, name="api_token_revoke"),
    path("p/<id:programme_id>/api-tokens/", tokens.programme_tokens, name="api_programme_tokens"),
]
