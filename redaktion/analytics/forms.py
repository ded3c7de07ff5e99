import re
from urllib.parse import urlsplit

from django import forms

from .counting import HOST_MAX

HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")


class BeaconForm(forms.Form):
    """A read beacon's body: ``a`` (the article id) and ``r`` (where the reader came from:
    a host, or an address of which only the host is kept)."""

    a = forms.IntegerField(min_value=1)
    r = forms.CharField(required=False, max_length=2048)

    def clean_r(self) -> str:
        value = self.cleaned_data["r"].strip().lower()
        if "//" in value:
            value = urlsplit(value).hostname or ""
        value = value.split("/")[0].split(":")[0]
        if len(value) > HOST_MAX or not HOST.match(value):
            return ""
        return value
