"""The files of the record in an S3-compatible object store, for several app servers.

Chosen by STORAGE_URL=s3://bucket/prefix (S3_ENDPOINT_URL for a store other than AWS,
S3_REGION); credentials come the way boto3 finds them (AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY, a profile, an instance role), never from the app's configuration.
Objects are stored under <prefix>/ab/cd/<sha256 of the content> like on disk, and hold
what webapp.storage gives them: ciphertext only (webapp.crypto), the keys stay with the
app. No ACL is sent (the bucket owner's alone); every upload carries its SHA-256
checksum, which the store checks before keeping the object. An upload is one PUT: the
object is there whole or not at all. A store that does not answer raises
StorageUnavailable (the 503 page), never a 500.
"""

import re
import uuid
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app

from webapp import crypto

# fail fast: a request waits seconds at most before the 503 page, not minutes
CLIENT_CONFIG = Config(connect_timeout=3, read_timeout=15,
                       retries={"max_attempts": 2, "mode": "standard"})
MISSING = {"404", "NoSuchKey", "NotFound"}
DIGEST = re.compile(r"[0-9a-f]{64}")


class StorageUnavailable(RuntimeError):
    """The object store does not answer: the request gets the 503 page."""


class Bucket:
    """One bucket and key prefix, through a client shared by the app's threads."""

    def __init__(self, url, endpoint="", region=""):
        parts = urlsplit(url)
        self.name = parts.netloc
        prefix = parts.path.strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self.client = boto3.client("s3", endpoint_url=endpoint or None,
                                   region_name=region or None, config=CLIENT_CONFIG)

    def key(self, digest):
        return f"{self.prefix}{digest[:2]}/{digest[2:4]}/{digest}"

    def _call(self, method, **params):
        try:
            return getattr(self.client, method)(Bucket=self.name, **params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING:
                raise FileNotFoundError(params.get("Key")) from error
            raise StorageUnavailable(str(error)) from error
        except BotoCoreError as error:
            raise StorageUnavailable(str(error)) from error

    def put(self, digest, ciphertext):
        self._put(self.key(digest), ciphertext)

    def _put(self, key, body):
        self._call("put_object", Key=key, Body=body, ContentType="application/octet-stream",
                   ChecksumAlgorithm="SHA256")

    def get(self, digest):
        return self._call("get_object", Key=self.key(digest))["Body"].read()

    def exists(self, digest):
        try:
            self._call("head_object", Key=self.key(digest))
        except FileNotFoundError:
            return False
        return True

    def delete(self, digest):
        self._call("delete_object", Key=self.key(digest))

    def size(self, digest):
        return self._call("head_object", Key=self.key(digest))["ContentLength"]

    def writable(self):
        """Write then delete a small object: what /healthz asks."""
        key = f"{self.prefix}.health/{uuid.uuid4().hex}"
        try:
            self._put(key, b"ok")
            self._call("delete_object", Key=key)
        except (StorageUnavailable, FileNotFoundError):
            return False
        return True

    def rewrap(self):
        """Re-wrap every file's data key with the current master key (rotate-keys): each
        object read, its header rewritten, put back whole; returns how many changed."""
        changed = 0
        for digest, _modified in list(self.stored()):
            data = self.get(digest)
            new = crypto.rewrapped(data) if data.startswith(crypto.MAGIC) else None
            if new is not None:
                self.put(digest, new)
                changed += 1
        return changed

    def stored(self):
        """(digest, last modified as a POSIX time) of every stored file (not the probes
        of /healthz, nor anything else under the prefix)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=self.prefix)
        try:
            for page in pages:
                for item in page.get("Contents", ()):
                    digest = item["Key"].rsplit("/", 1)[-1]
                    if DIGEST.fullmatch(digest) and item["Key"] == self.key(digest):
                        yield digest, item["LastModified"].timestamp()
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(str(error)) from error


def bucket():
    """The app's bucket, or None when files are stored on disk (no STORAGE_URL)."""
    config = current_app.config
    url = config.get("STORAGE_URL") or ""
    if not url.startswith("s3://"):
        return None
    settings = (url, config.get("S3_ENDPOINT_URL") or "", config.get("S3_REGION") or "")
    buckets = current_app.extensions.setdefault("s3_buckets", {})
    if settings not in buckets:  # a client per setting: tests change them, servers do not
        buckets[settings] = Bucket(*settings)
    return buckets[settings]
