"""Static files under content-hashed names, compressed, and cached by browsers for a year.

At start the app copies `static/` into `instance/static/<digest>/`, each file also under a
name with its content's hash (`css/app.css` -> `css/app.3f2a1b9c0d4e.css`), with gzip and
Brotli variants beside it, and WhiteNoise serves that folder in front of Flask. A hashed
name never changes its content, so it is sent with `Cache-Control: max-age=31536000,
immutable`: a returning browser asks for the page alone. The unhashed names stay served
(`url_for('static', ...)`), with `max-age=0` so that they are revalidated. Templates
reference files through `asset('css/app.css')`, which gives the hashed URL. `/favicon.ico`
is served from the same folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import Flask, current_app, url_for
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

ONE_YEAR = 365 * 24 * 3600
FAVICON = "favicon.ico"


def hashed_name(name: str, content: bytes) -> str:
    """`css/app.css` -> `css/app.<12 hex digits of its SHA-256>.css`."""
    stem, dot, extension = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"{stem}.{digest}.{extension}" if dot else f"{name}.{digest}"


def read_static(folder: str) -> dict[str, bytes]:
    """Every file under the static folder, by its path relative to it (with '/')."""
    root = Path(folder)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def build(files: dict[str, bytes], into: str) -> tuple[str, dict[str, str]]:
    """Write the files, their hashed copies and compressed variants into a folder named by
    the digest of them all (made once, then reused; a half-written one is never used)."""
    manifest = {name: hashed_name(name, content) for name, content in files.items()}
    everything = hashlib.sha256()
    for name, content in files.items():
        everything.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    target = os.path.join(into, everything.hexdigest()[:16])
    if not os.path.isdir(target):
        os.makedirs(into, exist_ok=True)
        staging = tempfile.mkdtemp(dir=into, prefix=".building-")
        compressor = Compressor(quiet=True)
        for name, content in files.items():
            for written in (name, manifest[name]):
                path = os.path.join(staging, written)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as handle:
                    handle.write(content)
                if compressor.should_compress(written):
                    compressor.compress(path)
        try:
            os.rename(staging, target)
        except OSError:  # another process built the same folder first
            shutil.rmtree(staging, ignore_errors=True)
    return target, manifest


def asset(name: str) -> str:
    """The URL of a static file under its hashed name (the plain one if it is unknown)."""
    manifest = current_app.extensions["asset_manifest"]
    return url_for("static", filename=manifest.get(name, name))


def init_app(app: Flask) -> None:
    files = read_static(app.static_folder)
    folder, manifest = build(files, os.path.join(app.instance_path, "static"))
    immutable = {f"/static/{hashed}" for hashed in manifest.values()}

    def headers(headers, _path: str, url: str) -> None:
        headers["X-Content-Type-Options"] = "nosniff"
        if url in immutable:
            headers["Cache-Control"] = f"max-age={ONE_YEAR}, public, immutable"
        elif url == f"/{FAVICON}":  # asked for by its fixed name: kept for a day
            headers["Cache-Control"] = "max-age=86400, public"

    served = WhiteNoise(
        app.wsgi_app,
        root=folder,
        prefix="/static/",
        max_age=0,  # unhashed names: revalidated every time
        allow_all_origins=False,
        add_headers_function=headers,
    )
    if FAVICON in files:
        served.add_file_to_dictionary(f"/{FAVICON}", os.path.join(folder, FAVICON))
    app.wsgi_app = served
    app.extensions["asset_manifest"] = manifest
    app.jinja_env.globals["asset"] = asset
