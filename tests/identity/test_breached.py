"""Breached passwords: the rule, HIBP's range API on 127.0.0.1, and a local SHA-1 file."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from selfcare import SelfcareError
from selfcare.core.errors import StorageUnavailable
from selfcare.identity.breached import (
    InMemoryBreachedPasswords,
    PwnedPasswordsRange,
    Sha1FileBreachedPasswords,
    breach_digest,
    check_breached,
)

LEAKED = breach_digest("Summer2025!")  # a password we pretend was leaked 87 times
NEVER = breach_digest("violin-otter-Kesä-17")


class _RangeApi(BaseHTTPRequestHandler):
    """HIBP's range endpoint, for one leaked hash, with padding when asked."""

    seen: list[tuple[str, str | None]] = []  # noqa: RUF012 - the test's request log
    mode = "ok"

    def do_GET(self) -> None:
        type(self).seen.append((self.path, self.headers.get("Add-Padding")))
        if self.mode == "slow":
            time.sleep(0.5)
        if self.mode == "error":
            self.send_error(503)
            return
        prefix = self.path.rsplit("/", 1)[-1]
        lines = ["0018A45C4D1DEF81644B54AB7F969B88D65:1"]
        if prefix == LEAKED[:5]:
            lines.append(f"{LEAKED[5:]}:87")
        if self.headers.get("Add-Padding") == "true":
            lines += [f"{i:035X}:0" for i in range(800)]
            lines.append(f"{NEVER[5:]}:0")  # padding may hit a real suffix: count 0
        body = ("\r\n" if self.mode == "ok" else "\n").join(lines).encode("ascii")
        if self.mode == "garbage":
            body = f"{LEAKED[5:]}:lots".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


@pytest.fixture
def api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RangeApi)
    _RangeApi.seen = []
    _RangeApi.mode = "ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/range/"
    finally:
        server.shutdown()
        server.server_close()


def test_only_the_five_character_prefix_leaves_the_machine(api: str) -> None:
    source = PwnedPasswordsRange(base_url=api, timeout=2)
    assert source.times_seen(LEAKED) == 87
    assert source.times_seen(NEVER) == 0
    assert _RangeApi.seen == [(f"/range/{LEAKED[:5]}", "true"), (f"/range/{NEVER[:5]}", "true")]


def test_padding_can_be_turned_off(api: str) -> None:
    source = PwnedPasswordsRange(base_url=api, padding=False)
    assert source.times_seen(LEAKED) == 87
    assert _RangeApi.seen == [(f"/range/{LEAKED[:5]}", None)]


def test_the_rule_refuses_a_leaked_password_with_its_count(api: str) -> None:
    source = PwnedPasswordsRange(base_url=api)
    decision = check_breached("Summer2025!", source, "required")
    assert decision.codes == ("password.breached",)
    assert decision.violations[0].params["count"] == 87
    assert check_breached("violin-otter-Kesä-17", source, "required")
    assert check_breached("Summer2025!", source, "off")


@pytest.mark.parametrize("mode", ["slow", "error", "garbage"])
def test_an_outage_is_unavailable_and_the_policy_decides(api: str, mode: str) -> None:
    _RangeApi.mode = mode
    source = PwnedPasswordsRange(base_url=api, timeout=0.2)
    with pytest.raises(StorageUnavailable) as caught:
        source.times_seen(LEAKED)
    assert caught.value.codes == ("password.breach_check_unavailable",)
    required = check_breached("Summer2025!", source, "required")
    assert required.codes == ("password.breach_check_unavailable",)
    assert required.violations[0].kind.value == "unavailable"
    assert check_breached("Summer2025!", source, "best_effort")


def test_a_closed_port_is_unavailable() -> None:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = PwnedPasswordsRange(base_url=f"http://127.0.0.1:{port}/range/", timeout=0.5)
    with pytest.raises(StorageUnavailable):
        source.times_seen(LEAKED)


@pytest.mark.parametrize(
    ("url", "timeout"),
    [
        ("http://api.pwnedpasswords.com/range/", 2.0),  # plain HTTP to the internet
        ("file:///etc/passwd/", 2.0),
        ("https://api.pwnedpasswords.com/range", 2.0),  # no trailing slash
        ("https://api.pwnedpasswords.com/range/", 0.0),
    ],
)
def test_unsafe_settings_are_refused(url: str, timeout: float) -> None:
    with pytest.raises(SelfcareError) as caught:
        PwnedPasswordsRange(base_url=url, timeout=timeout)
    assert caught.value.codes == ("config.invalid_setting",)


def test_the_default_endpoint_is_hibps_over_https() -> None:
    source = PwnedPasswordsRange()
    assert source.base_url == "https://api.pwnedpasswords.com/range/"
    assert "api.pwnedpasswords.com" in repr(source)


def test_a_malformed_digest_is_refused() -> None:
    with pytest.raises(SelfcareError):
        InMemoryBreachedPasswords().times_seen("not-a-sha1")


def test_the_digest_is_of_the_nfc_form() -> None:
    assert breach_digest("kesa\u0308") == breach_digest("kes\u00e4")
    assert breach_digest("password") == "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"
    with pytest.raises(TypeError):
        breach_digest(b"password")  # type: ignore[arg-type]


def _corpus(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "pwned.txt"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    return path


def test_the_offline_file_is_searched_by_bisection(tmp_path: Path) -> None:
    hashes = sorted({breach_digest(f"pw{i}") for i in range(2000)} | {LEAKED})
    path = _corpus(tmp_path, [f"{h}:{7 if h == LEAKED else 1}" for h in hashes])
    source = Sha1FileBreachedPasswords(path)
    assert source.times_seen(LEAKED) == 7
    assert source.times_seen(NEVER) == 0
    assert all(source.times_seen(h) >= 1 for h in [*hashes[::97], hashes[0], hashes[-1]])
    assert source.times_seen("0" * 40) == 0
    assert source.times_seen("F" * 40) == 0
    assert check_breached("Summer2025!", source, "required").codes == ("password.breached",)


def test_the_offline_file_may_hold_hashes_without_counts(tmp_path: Path) -> None:
    path = _corpus(tmp_path, sorted([LEAKED, NEVER.replace(NEVER[0], "0", 1)]))
    assert Sha1FileBreachedPasswords(path).times_seen(LEAKED) == 1


def test_the_offline_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SelfcareError):
        Sha1FileBreachedPasswords(tmp_path / "missing.txt")
    path = _corpus(tmp_path, [LEAKED])
    source = Sha1FileBreachedPasswords(path)
    path.unlink()
    with pytest.raises(StorageUnavailable):
        source.times_seen(LEAKED)
    assert "pwned.txt" in repr(source)
