"""``python -m redaktion.core.varnish`` (what ``make serve`` runs): the shipped VCL pointed at
the app server, with the addresses that may purge, handed to varnishd in the foreground."""

import pytest

from redaktion.core import varnish


def test_make_serve_runs_varnishd_with_the_shipped_vcl_pointed_at_the_app(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(varnish.os, "execv", lambda path, args: started.append(args))
    varnish.main(
        [
            "--listen=127.0.0.1:8000",
            "--backend=127.0.0.1:8001",
            f"--workdir={tmp_path}",
            "--purger=10.0.0.7",
            "--purger=10.0.0.8",
        ]
    )
    (args,) = started
    assert args[args.index("-a") + 1] == "127.0.0.1:8000"
    assert args[args.index("-n") + 1] == str(tmp_path / "n")
    assert "-F" in args
    vcl = (tmp_path / "vcl" / "redaktion.vcl").read_text()
    assert '.port = "8001";' in vcl and '.port = "8000";' not in vcl
    assert '"10.0.0.7";' in vcl and '"10.0.0.8";' in vcl and '"127.0.0.1";\n}' not in vcl
    assert "xkey.purge(req.http.xkey-purge)" in vcl


def test_a_vcl_without_the_backend_or_the_acl_is_refused(tmp_path, monkeypatch):
    broken = tmp_path / "broken.vcl"
    broken.write_text('vcl 4.1;\nbackend other { .host = "x"; }\n')
    monkeypatch.setattr(varnish, "VCL", broken)
    with pytest.raises(ValueError, match="backend app"):
        varnish.render_vcl(backend_host="127.0.0.1", backend_port=1)
