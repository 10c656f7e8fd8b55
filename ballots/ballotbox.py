"""The sealed ballot box: the cryptography, and nothing else (no database, no Django models).

- A poll has an X25519 key pair. Ballots are sealed to its public key at cast time (libsodium sealed box:
  an ephemeral key per ballot, so two equal ballots give unrelated ciphertexts).
- The private key is kept only wrapped (XSalsa20-Poly1305 SecretBox) under a random 32-byte wrapping key.
  The wrapping key is split k-of-n among the scrutineers with Shamir's scheme (pycryptodome works on
  16-byte secrets, so each half is split separately with the same x-coordinates), and each scrutineer's
  share is encrypted under a key derived from his passphrase with argon2id. Fewer than k shares reveal
  nothing about the wrapping key.
- Counting recombines k shares, unwraps the private key, opens the ballots, and forgets the key.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import nacl.exceptions
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils
from Crypto.Protocol.SecretSharing import Shamir
from django.conf import settings

PAD_TO = 256  # sealed ballots are padded to a multiple of this length, so their size tells nothing


class BoxError(Exception):
    """A wrong passphrase, too few shares, or a damaged box."""


@dataclass(frozen=True)
class ShareMaterial:
    index: int
    encrypted: bytes
    salt: bytes
    opslimit: int
    memlimit: int


@dataclass(frozen=True)
class BoxMaterial:
    public_key: bytes
    wrapped_private_key: bytes
    shares: list[ShareMaterial]


def _argon2_limits() -> tuple[int, int]:
    ops = getattr(settings, "ZHIBU_ARGON2_OPSLIMIT", nacl.pwhash.argon2id.OPSLIMIT_MODERATE)
    mem = getattr(settings, "ZHIBU_ARGON2_MEMLIMIT", nacl.pwhash.argon2id.MEMLIMIT_MODERATE)
    return ops, mem


def _passphrase_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit
    )


def make_box(passphrases: list[str], k: int) -> BoxMaterial:
    """A new key pair; the private key wrapped and its wrapping key split k-of-n, one share per passphrase."""
    n = len(passphrases)
    if not 2 <= k <= n:
        raise BoxError("k must be between 2 and the number of scrutineers")
    private = nacl.public.PrivateKey.generate()
    wrapping_key = nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)
    wrapped = nacl.secret.SecretBox(wrapping_key).encrypt(bytes(private))
    low = Shamir.split(k, n, wrapping_key[:16])
    high = Shamir.split(k, n, wrapping_key[16:])
    ops, mem = _argon2_limits()
    shares = []
    for (index, low_share), (index_high, high_share), passphrase in zip(low, high, passphrases, strict=True):
        assert index == index_high
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        key = _passphrase_key(passphrase, salt, ops, mem)
        encrypted = nacl.secret.SecretBox(key).encrypt(bytes([index]) + low_share + high_share)
        shares.append(
            ShareMaterial(index=index, encrypted=bytes(encrypted), salt=salt, opslimit=ops, memlimit=mem)
        )
    return BoxMaterial(
        public_key=bytes(private.public_key), wrapped_private_key=bytes(wrapped), shares=shares
    )


def unlock_share(share: ShareMaterial, passphrase: str) -> tuple[int, bytes]:
    """(index, 32-byte share) or BoxError when the passphrase is wrong."""
    key = _passphrase_key(passphrase, share.salt, share.opslimit, share.memlimit)
    try:
        plain = nacl.secret.SecretBox(key).decrypt(share.encrypted)
    except nacl.exceptions.CryptoError as exc:
        raise BoxError("wrong passphrase") from exc
    return plain[0], plain[1:]


def open_box(wrapped_private_key: bytes, shares: list[tuple[int, bytes]], k: int) -> nacl.public.SealedBox:
    """Recombine the wrapping key from k shares and unwrap the private key; BoxError if they fail."""
    if len({index for index, _s in shares}) < k:
        raise BoxError("too few shares")
    low = Shamir.combine([(index, share[:16]) for index, share in shares])
    high = Shamir.combine([(index, share[16:]) for index, share in shares])
    try:
        private = nacl.secret.SecretBox(low + high).decrypt(wrapped_private_key)
    except nacl.exceptions.CryptoError as exc:
        raise BoxError("the shares do not open the box") from exc
    return nacl.public.SealedBox(nacl.public.PrivateKey(private))


def encode_content(content: dict) -> bytes:
    raw = json.dumps(content, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return raw + b" " * (-len(raw) % PAD_TO)


def seal(public_key: bytes, content: dict) -> bytes:
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(public_key)).encrypt(encode_content(content)))


def open_ballot(box: nacl.public.SealedBox, sealed: bytes) -> dict:
    try:
        return json.loads(box.decrypt(bytes(sealed)))
    except (nacl.exceptions.CryptoError, ValueError):
        return {"c": None}  # unreadable: counted as invalid


def open_all(box: nacl.public.SealedBox, sealed: list, workers: int = 0) -> list[dict]:
    """Open ballots in the given order; libsodium releases the GIL, so threads use every core."""
    workers = workers or min(8, os.cpu_count() or 1)
    if workers == 1 or len(sealed) < 2000:
        return [open_ballot(box, s) for s in sealed]
    size = -(-len(sealed) // workers)
    chunks = [sealed[i : i + size] for i in range(0, len(sealed), size)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = pool.map(lambda chunk: [open_ballot(box, s) for s in chunk], chunks)
    return [content for part in parts for content in part]


def tracker_of(sealed: bytes) -> str:
    return hashlib.sha256(bytes(sealed)).hexdigest()


def short_tracker(tracker: str) -> str:
    """The 16 hex digits a voter compares, in groups of four."""
    head = tracker[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


# --- Receipts: the voter's own retry reads his tracker back ---------------------------------------


def key_hash(idempotency_key: str) -> bytes:
    return hashlib.sha256(b"zhibu-idempotency:" + idempotency_key.encode()).digest()


def _receipt_key(idempotency_key: str) -> bytes:
    return hashlib.blake2b(idempotency_key.encode(), digest_size=32, person=b"zhibu-receipt").digest()


def make_receipt(idempotency_key: str, tracker: str) -> bytes:
    return bytes(nacl.secret.SecretBox(_receipt_key(idempotency_key)).encrypt(tracker.encode()))


def read_receipt(idempotency_key: str, receipt: bytes | None) -> str | None:
    if not receipt:
        return None
    try:
        return nacl.secret.SecretBox(_receipt_key(idempotency_key)).decrypt(bytes(receipt)).decode()
    except nacl.exceptions.CryptoError:
        return None


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)
