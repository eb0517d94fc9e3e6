"""Mock of ONESQA's e-SAR portal (thaiqa.net). Its page structure is invented: see README.md."""

from mock_portals.esar.app import create_app

__all__ = ["create_app"]
