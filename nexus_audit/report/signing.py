"""Signatures: an Ed25519 detached signature of the manifest, a PDF signature by pyHanko.

One Ed25519 private key (setting ``signing_key``, PEM) signs both. The PDF signature
needs an X.509 certificate: the one in ``signing_certificate`` when given (it must hold
the same public key), else a self-signed one made from the key, with fixed serial and
validity so two runs make the same certificate. ``nexus-audit verify`` checks that the
PDF was signed by the key that signed the manifest, and, given ``--public-key``, that
this key is the one the auditor trusts.

pyHanko and cryptography are imported on first use: most runs sign nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import ConfigError

KEY_HELP = "make one with: openssl genpkey -algorithm ed25519 -out signing-key.pem"
FIELD = "AuditReportSignature"


def _crypto() -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return serialization, ed25519


def fingerprint(public_key: bytes) -> str:
    """``SHA256:<hex>`` of the raw 32-byte public key, as verify prints it."""
    return "SHA256:" + hashlib.sha256(public_key).hexdigest()[:32]


@dataclass(frozen=True)
class Signer:
    """The loaded key and the certificate that goes into the PDF signature."""

    key: Any
    certificate: Any

    @property
    def public_key(self) -> bytes:
        serialization, _ = _crypto()
        raw: bytes = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return raw

    def sign(self, data: bytes) -> bytes:
        """A detached Ed25519 signature of ``data``."""
        signature: bytes = self.key.sign(data)
        return signature

    def signature_file(self, data: bytes) -> bytes:
        """The ``manifest.json.sig`` document for ``data``."""
        lines = [
            "algorithm: Ed25519",
            f"public-key: {base64.b64encode(self.public_key).decode()}",
            f"signature: {base64.b64encode(self.sign(data)).decode()}",
        ]
        return ("\n".join(lines) + "\n").encode("ascii")

    def sign_pdf(self, pdf: bytes, reason: str) -> bytes:
        """``pdf`` with an incremental update holding a CMS signature over all of it."""
        from pyhanko.keys.internal import (
            translate_pyca_cryptography_cert_to_asn1,
            translate_pyca_cryptography_key_to_asn1,
        )
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers

        signer = signers.SimpleSigner(
            signing_cert=translate_pyca_cryptography_cert_to_asn1(self.certificate),
            signing_key=translate_pyca_cryptography_key_to_asn1(self.key),
            cert_registry=None,  # type: ignore[arg-type]
        )
        meta = signers.PdfSignatureMetadata(field_name=FIELD, reason=reason)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        signed = signers.sign_pdf(writer, meta, signer=signer)

        return bytes(signed.getvalue())


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ConfigError(
            f"setting {setting!r}: cannot read {str(path)!r}: {error}"
        ) from error


def load_signer(key_path: Path, certificate_path: Path | None, subject: str) -> Signer:
    """The signer for the configured key; errors name the setting at fault."""
    serialization, ed25519 = _crypto()
    try:
        key = serialization.load_pem_private_key(_read(key_path, "signing_key"), None)
    except (ValueError, TypeError) as error:
        raise ConfigError(
            f"setting 'signing_key': {str(key_path)!r} is not an unencrypted PEM private "
            f"key ({error}); {KEY_HELP}"
        ) from error

    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ConfigError(
            f"setting 'signing_key': {str(key_path)!r} holds a {type(key).__name__}, "
            f"not an Ed25519 key; {KEY_HELP}"
        )

    if certificate_path is None:
        return Signer(key, _self_signed(key, subject))

    return Signer(key, _certificate(key, certificate_path))


def _certificate(key: Any, path: Path) -> Any:
    from cryptography import x509

    serialization, _ = _crypto()
    try:
        certificate = x509.load_pem_x509_certificate(_read(path, "signing_certificate"))
    except ValueError as error:
        raise ConfigError(
            f"setting 'signing_certificate': {str(path)!r} is not a PEM certificate"
        ) from error

    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    if certificate.public_key().public_bytes(*raw) != key.public_key().public_bytes(
        *raw
    ):
        raise ConfigError(
            f"setting 'signing_certificate': {str(path)!r} certifies another key than "
            "setting 'signing_key'"
        )

    return certificate


def _self_signed(key: Any, subject: str) -> Any:
    """A certificate for the key alone: same key and subject, same certificate."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    serialization, _ = _crypto()
    raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject[:64])])
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )

    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(hashlib.sha256(raw).digest()[:16], "big") >> 1)
        .not_valid_before(datetime(2000, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(9999, 12, 31, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, None)
    )
