"""Payment reference numbers, one module per scheme, as python-stdnum has one per format.

=====================================================  ===================================
module                                                 scheme
=====================================================  ===================================
:mod:`~selfcare.billing.references.fi_reference`       Finnish viitenumero (7-3-1)
:mod:`~selfcare.billing.references.rf_reference`       RF creditor reference (ISO 11649)
:mod:`~selfcare.billing.references.kid`                Norwegian KID (mod 10 or mod 11)
:mod:`~selfcare.billing.references.ocr_reference`      Swedish OCR reference (Luhn)
=====================================================  ===================================

Every module has the same verbs: ``compact`` (white space removed, not checked),
``calc_check_digit`` (``calc_check_digits`` for RF's two), ``create`` (a base and its
check digit), ``validate`` (the compact form, or :class:`~selfcare.core.errors.SelfcareError`),
``is_valid`` and ``format`` (as printed on an invoice). Each failure has its own code,
with the scheme as a parameter: ``reference.empty``, ``reference.invalid_characters``,
``reference.invalid_length``, ``reference.invalid_check_digit``, and for the special
cases ``reference.invalid_prefix`` (RF) and ``reference.invalid_length_digit``
(Swedish OCR with a length digit). Wrong types are a ``TypeError``.

>>> from selfcare.billing.references import fi_reference, rf_reference
>>> rf_reference.format(rf_reference.create(fi_reference.create("234823")))
'RF33 2348 236'

Which scheme an invoice uses is :func:`selfcare.billing.invoices.payment_reference`.
"""

from selfcare.billing.references import fi_reference, kid, ocr_reference, rf_reference
from selfcare.billing.references.kid import KidMethod

__all__ = ["KidMethod", "fi_reference", "kid", "ocr_reference", "rf_reference"]
