"""The private JACK fixture starts a reachable server and stops only its own process."""

from __future__ import annotations

import jack

from jackserver import JackServer


def test_private_server_accepts_clients_and_stops(jack_server: JackServer) -> None:
    client = jack.Client("lc-fixture-test", servername=jack_server.name, no_start_server=True)
    try:
        assert client.samplerate == 48000
        assert client.blocksize == 256
    finally:
        client.close()


def test_stop_is_local() -> None:
    with JackServer(period=128) as a, JackServer(period=128) as b:
        a.stop()
        assert not a.alive
        assert b.alive
