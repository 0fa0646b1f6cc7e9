"""Pseudonymising contributor identifiers with a keyed hash (HMAC-SHA256).

The key comes from INCLUSION_RECORDS_KEY and is used only in memory: it is never written to a
table, a log or a file. The same identifier and key always give the same pseudonym, so a
person can be followed across files and refreshes; without the key nobody can reverse it or
test a guessed identifier against it.
"""

from __future__ import annotations

import hashlib
import hmac
import math

KEY_ENV = "INCLUSION_RECORDS_KEY"
MIN_KEY_LENGTH = 16
# Disclosure control: no count of people below this is published (ONS practice; docs/records.md).
MIN_PEOPLE = 5
# Documented, public and deliberately weak: used ONLY for the built-in fictional example records.
EXAMPLE_ONLY_KEY = b"example-records-only-not-a-secret"


class RecordsKeyMissing(Exception):
    pass


def key_check(key: bytes) -> str:
    """A check value of the key (its HMAC of a fixed label), kept beside the pseudonyms it made in the
    private work database to tell whether they were made under this key. It reveals no more than the
    pseudonyms themselves do: with either, a guessed key can be tested, so neither is published."""
    return hmac.new(key, b"inclusion-impact: records key check", hashlib.sha256).hexdigest()


def records_key(secrets: dict) -> bytes:
    """The pseudonymisation key, secrets[INCLUSION_RECORDS_KEY] (Dagster resolves it with dg.EnvVar:
    this never reads the environment itself); refuses to go on without a strong one."""
    value = (secrets.get(KEY_ENV) or "").strip()
    if not value:
        raise RecordsKeyMissing(
            f"{KEY_ENV} is not set, so contributor identifiers cannot be pseudonymised and the records "
            f"were not loaded. Set {KEY_ENV} to a long random secret (e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`), keep it out of version "
            "control, and keep using the same key so pseudonyms stay stable."
        )
    if len(value) < MIN_KEY_LENGTH:
        raise RecordsKeyMissing(
            f"{KEY_ENV} is shorter than {MIN_KEY_LENGTH} characters; use a long random "
            "secret so pseudonyms cannot be guessed."
        )
    if value.encode() == EXAMPLE_ONLY_KEY:
        raise RecordsKeyMissing(f"{KEY_ENV} is the public example-only key; choose your own secret.")
    weakness = key_weakness(value)
    if weakness:
        raise RecordsKeyMissing(
            f"{KEY_ENV} is too easy to guess ({weakness}), so pseudonyms could be reversed by "
            "trying likely identifiers. Use a long random secret, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
        )
    return value.encode()


MIN_DISTINCT_CHARACTERS = 8
MIN_ENTROPY_BITS = 64


def key_weakness(value: str) -> str | None:
    """Why a key of the right length is still guessable, or None. A key from token_urlsafe(32) has
    about 190 bits; a passphrase of several words passes; repeats, runs and tiny alphabets do not."""
    distinct = len(set(value))
    if distinct < MIN_DISTINCT_CHARACTERS:
        return f"only {distinct} different characters"
    for size in range(1, len(value) // 2 + 1):
        if len(value) % size == 0 and value == value[:size] * (len(value) // size):
            return "one short piece repeated"
    steps = [ord(b) - ord(a) for a, b in zip(value, value[1:])]
    if max(steps.count(s) for s in set(steps)) >= 0.75 * len(steps):
        return "mostly a run of consecutive characters"
    counts = [value.count(c) for c in set(value)]
    bits_per_char = -sum(n / len(value) * math.log2(n / len(value)) for n in counts)
    if bits_per_char * len(value) < MIN_ENTROPY_BITS:
        return f"about {bits_per_char * len(value):.0f} bits of randomness, fewer than {MIN_ENTROPY_BITS}"
    return None


def pseudonymise(identifier, key: bytes) -> str:
    """'c_' + 32 hex digits of HMAC-SHA256(key, identifier); identifiers match ignoring case and spaces."""
    text = str(identifier).strip().casefold()
    return "c_" + hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]
