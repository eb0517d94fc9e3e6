"""Mock LEC portal (lec.dla.go.th stand-in); see README.md for what is sourced vs invented."""

from mock_portals.lec.app import create_app

__all__ = ["create_app"]
