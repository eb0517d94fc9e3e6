"""SAR uploads to e-SAR: the manifest of PDFs, the checks before upload, demo material."""
