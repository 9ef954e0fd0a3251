"""``python -m selfcare demo``: the five journeys of the portal guides, end to end.

The demo runs the portal's journeys on SQLite (a temporary file unless ``--db PATH``
keeps one) with the sample catalog, through :func:`selfcare.bootstrap.bootstrap` and
the services it builds:

1. registering with a bank identification: a weak password refused with all its
   reasons, then a good one; contact details prefilled; the confirmation e-mail
   (:mod:`~selfcare.demo.registration`);
2. no identity code on file, and two names on one invoice: registration completes with
   the "contact customer service" advice (:mod:`~selfcare.demo.identity_not_on_file`);
3. ordering a TV channel (billing agreement and pay-TV card), building and editing the
   MIX package, "ordered services" with their dates, a cancellation that must be
   written (:mod:`~selfcare.demo.tv_order`);
4. giving a spouse access in four phases: the spouse registers and accepts; removing a
   role (choose, confirm); an invitation that expires after 7 days
   (:mod:`~selfcare.demo.spouse_access`);
5. an employee's company phone: confirming the number with a one-time code, extra data
   with the salary deduction shown before confirming, a plan change, and a month's
   invoice with VAT (:mod:`~selfcare.demo.company_phone`).

Everything printed - headings, narration (:mod:`~selfcare.demo.narration`), refusals,
dates and money - is in the chosen language (``en``, ``fi``, ``sv`` or ``nb``). The
clock stands still unless the demo moves it, ids are sequential and secrets come from
a seeded generator (:mod:`~selfcare.demo.world`), so two runs print the same lines.
"""

from __future__ import annotations

from selfcare.demo.runner import run_demo
from selfcare.demo.world import DEMO_KEY

__all__ = ["DEMO_KEY", "run_demo"]
