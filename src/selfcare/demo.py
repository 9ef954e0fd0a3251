"""``python -m selfcare demo``: the five journeys of the portal guides, end to end.

The demo runs the seeds' journeys on SQLite (a temporary file unless ``--db PATH`` keeps
one) with the sample catalog, through the public API and the shipped adapters only:

1. seed 001 - register with a bank identification; a weak password refused with all
   its reasons, then a good one; contact details prefilled; the confirmation e-mail.
2. seed 000 - a person whose identity code is not on file, and the two names on one
   invoice: registration completes with the "contact customer service" advice.
3. seed 002 - order a TV channel (billing agreement and pay-TV card), build and edit the
   MIX package, "ordered services" with their dates, a cancellation that must be written.
4. seed 003 - invite a spouse in four phases; the spouse registers and accepts; remove a
   role (choose, confirm); an invitation that expires after 7 days.
5. seed 004 - confirm a phone number with a one-time code, order extra data with the
   salary deduction shown before confirming, change plan, and a month's invoice with VAT.

Everything printed - headings, narration, refusals, dates and money - is in the chosen
language (``en``, ``fi``, ``sv`` or ``nb``). The clock stands still unless the demo moves
it, ids are sequential and secrets come from a seeded generator, so two runs print the
same lines.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO, TypeVar, cast

import attrs

from selfcare.core.clock import FixedClock, local_date, operator_zone
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError, StorageUnavailable
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId, SequentialIds
from selfcare.core.messages import normalize_language
from selfcare.core.money import Money
from selfcare.core.outcome import Done, Refused

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.authz.invitation import Invitation, IssuedInvitation
    from selfcare.authz.model import Role
    from selfcare.authz.ports import AuthzUnitOfWork
    from selfcare.billing.ports import BillingUnitOfWork
    from selfcare.billing.service import BillingService
    from selfcare.catalog.ports import CatalogUnitOfWork
    from selfcare.catalog.service import CatalogService
    from selfcare.identity.national_id import NationalId
    from selfcare.identity.ports import IdentityUnitOfWork, OutgoingMessage

__all__ = ["NARRATION", "SeededSecrets", "run_demo"]

T = TypeVar("T")

#: When the demo starts: Monday 2 March 2026, 10:00 in Helsinki.
START: Final = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

#: The operator key that seals national identity codes in the demo database. A real
#: deployment keeps a random key of its own like a database encryption key.
DEMO_KEY: Final = b"selfcare demo key - never use in production".ljust(64, b".")

#: Headings and narration in the four languages (violation messages come from the
#: library's message catalog).
NARRATION: Final[dict[str, dict[str, str]]] = {
    "title": {
        "en": "selfcare demo - the five journeys of the portal guides",
        "fi": "selfcare-esittely - portaalioppaiden viisi polkua",
        "sv": "selfcare-demo - portalguidernas fem flöden",
        "nb": "selfcare-demo - de fem reisene fra portalveiledningene",
    },
    "storage": {
        "en": "Storage: SQLite file {path}",
        "fi": "Tallennus: SQLite-tiedosto {path}",
        "sv": "Lagring: SQLite-fil {path}",
        "nb": "Lagring: SQLite-fil {path}",
    },
    "j1": {
        "en": "1. Registering with a bank identification (seed 001)",
        "fi": "1. Rekisteröityminen pankkitunnuksilla (seed 001)",
        "sv": "1. Registrering med bankidentifiering (seed 001)",
        "nb": "1. Registrering med bankidentifisering (seed 001)",
    },
    "j2": {
        "en": "2. No identity code on file, two names on the invoice (seed 000)",
        "fi": "2. Henkilötunnus puuttuu, laskussa kaksi nimeä (seed 000)",
        "sv": "2. Personbeteckning saknas, två namn på fakturan (seed 000)",
        "nb": "2. Fødselsnummer mangler, to navn på fakturaen (seed 000)",
    },
    "j3": {
        "en": "3. Ordering a TV channel and editing the MIX package (seed 002)",
        "fi": "3. TV-kanavan tilaaminen ja MIX-paketin muokkaus (seed 002)",
        "sv": "3. Beställa en tv-kanal och ändra MIX-paketet (seed 002)",
        "nb": "3. Bestille en TV-kanal og endre MIX-pakken (seed 002)",
    },
    "j4": {
        "en": "4. Giving a spouse access, and taking it away (seed 003)",
        "fi": "4. Puolison valtuuttaminen ja valtuuden poisto (seed 003)",
        "sv": "4. Ge en make behörighet och ta bort den (seed 003)",
        "nb": "4. Gi ektefellen tilgang, og fjerne den (seed 003)",
    },
    "j5": {
        "en": "5. An employee's company phone: one-time code, extra data, invoice (seed 004)",
        "fi": "5. Työntekijän työpuhelin: kertakoodi, lisädata, lasku (seed 004)",
        "sv": "5. En anställds tjänstetelefon: engångskod, extra data, faktura (seed 004)",
        "nb": "5. En ansatts jobbtelefon: engangskode, ekstra data, faktura (seed 004)",
    },
    "refused": {"en": "Refused:", "fi": "Hylätty:", "sv": "Avvisat:", "nb": "Avvist:"},
    "terms": {
        "en": "{name} accepts the terms of use, version {version}.",
        "fi": "{name} hyväksyy käyttöehdot, versio {version}.",
        "sv": "{name} godkänner användarvillkoren, version {version}.",
        "nb": "{name} godtar brukervilkårene, versjon {version}.",
    },
    "try_bank": {
        "en": "Identifying with {bank}, a bank the operator does not list",
        "fi": "Tunnistautuminen pankilla {bank}, jota palvelu ei tue",
        "sv": "Identifiering med {bank}, en bank som inte finns på listan",
        "nb": "Identifisering med {bank}, en bank som ikke står på listen",
    },
    "identified": {
        "en": "Identified with {provider}: {national_id}",
        "fi": "Tunnistettu ({provider}): {national_id}",
        "sv": "Identifierad med {provider}: {national_id}",
        "nb": "Identifisert med {provider}: {national_id}",
    },
    "matched": {
        "en": "Customer relationships found: {found}",
        "fi": "Löydetyt asiakkuudet: {found}",
        "sv": "Kundrelationer som hittades: {found}",
        "nb": "Kundeforhold funnet: {found}",
    },
    "none": {"en": "none", "fi": "ei yhtään", "sv": "inga", "nb": "ingen"},
    "prefill": {
        "en": "Prefilled from the customer system: {name}, {email}, {address}",
        "fi": "Esitäytetty asiakasjärjestelmästä: {name}, {email}, {address}",
        "sv": "Förifyllt från kunddatasystemet: {name}, {email}, {address}",
        "nb": "Forhåndsutfylt fra kundesystemet: {name}, {email}, {address}",
    },
    "email_changed": {
        "en": "The e-mail address is changed to {email}; it becomes the username.",
        "fi": "Sähköpostiosoitteeksi vaihdetaan {email}; siitä tulee käyttäjätunnus.",
        "sv": "E-postadressen ändras till {email}; den blir användarnamnet.",
        "nb": "E-postadressen endres til {email}; den blir brukernavnet.",
    },
    "email_entered": {
        "en": "The e-mail address {email} is entered; it becomes the username.",
        "fi": "Sähköpostiosoitteeksi annetaan {email}; siitä tulee käyttäjätunnus.",
        "sv": "E-postadressen {email} anges; den blir användarnamnet.",
        "nb": "E-postadressen {email} fylles inn; den blir brukernavnet.",
    },
    "password_rules": {
        "en": "Password rules:",
        "fi": "Salasanan säännöt:",
        "sv": "Regler för lösenordet:",
        "nb": "Regler for passordet:",
    },
    "try_password": {
        "en": "Trying the password {password!r}",
        "fi": "Kokeillaan salasanaa {password!r}",
        "sv": "Provar lösenordet {password!r}",
        "nb": "Prøver passordet {password!r}",
    },
    "password_ok": {
        "en": "The password is accepted; only its hash is kept.",
        "fi": "Salasana kelpaa; siitä tallennetaan vain tiiviste.",
        "sv": "Lösenordet godkänns; bara dess hash sparas.",
        "nb": "Passordet godtas; bare hashen lagres.",
    },
    "sent": {
        "en": "{channel} to {recipient} [{template}, {language}]{extra}",
        "fi": "{channel} vastaanottajalle {recipient} [{template}, {language}]{extra}",
        "sv": "{channel} till {recipient} [{template}, {language}]{extra}",
        "nb": "{channel} til {recipient} [{template}, {language}]{extra}",
    },
    "with_link": {
        "en": " with a one-time link",
        "fi": " kertakäyttöisellä linkillä",
        "sv": " med en engångslänk",
        "nb": " med en engangslenke",
    },
    "with_code": {
        "en": " with a one-time code",
        "fi": " kertakoodilla",
        "sv": " med en engångskod",
        "nb": " med en engangskode",
    },
    "completed": {
        "en": "Account {account} created for {email}.",
        "fi": "Käyttäjätili {account} luotu osoitteelle {email}.",
        "sv": "Kontot {account} skapat för {email}.",
        "nb": "Kontoen {account} er opprettet for {email}.",
    },
    "login": {
        "en": "Logged in as {email}.",
        "fi": "Kirjauduttu sisään: {email}.",
        "sv": "Inloggad som {email}.",
        "nb": "Logget inn som {email}.",
    },
    "linked": {
        "en": "Relationship {number} ({kind}) linked to {account} as holder.",
        "fi": "Asiakkuus {number} ({kind}) liitetty tiliin {account} haltijana.",
        "sv": "Kundrelationen {number} ({kind}) kopplad till {account} som innehavare.",
        "nb": "Kundeforholdet {number} ({kind}) er koblet til {account} som innehaver.",
    },
    "no_code_on_file": {
        "en": "{name}'s broadband contract lacks an identity code.",
        "fi": "Henkilön {name} laajakaistasopimuksesta puuttuu henkilötunnus.",
        "sv": "{name}s bredbandsavtal saknar personbeteckning.",
        "nb": "{name}s bredbåndsavtale mangler fødselsnummer.",
    },
    "advisory": {
        "en": "Advice:",
        "fi": "Ohje:",
        "sv": "Råd:",
        "nb": "Råd:",
    },
    "two_names": {
        "en": "The invoice names {names}; only {holder}'s identity code is on file.",
        "fi": "Laskussa on nimet {names}; vain henkilön {holder} henkilötunnus on tiedossa.",
        "sv": "Fakturan har namnen {names}; bara {holder}s personbeteckning finns hos oss.",
        "nb": "Fakturaen har navnene {names}; bare {holder}s fødselsnummer er registrert.",
    },
    "abandoned": {
        "en": "{name} stops here: {holder} registers, and can invite {name} (journey 4).",
        "fi": "{name} keskeyttää: {holder} rekisteröityy ja voi kutsua henkilön {name} (polku 4).",
        "sv": "{name} avbryter: {holder} registrerar sig och kan bjuda in {name} (flöde 4).",
        "nb": "{name} avbryter: {holder} registrerer seg og kan invitere {name} (reise 4).",
    },
    "agreement_added": {
        "en": "Billing agreement {agreement} ({method}) in force from {day}.",
        "fi": "Laskutussopimus {agreement} ({method}) voimassa {day} alkaen.",
        "sv": "Faktureringsavtalet {agreement} ({method}) gäller från {day}.",
        "nb": "Faktureringsavtalen {agreement} ({method}) gjelder fra {day}.",
    },
    "quote": {
        "en": "Quote (nothing stored yet):",
        "fi": "Tarjous (mitään ei ole vielä tallennettu):",
        "sv": "Offert (inget har sparats än):",
        "nb": "Tilbud (ingenting er lagret ennå):",
    },
    "card_added": {
        "en": "The pay-TV card is valid.",
        "fi": "Maksu-TV-kortti on voimassa.",
        "sv": "Betal-tv-kortet är giltigt.",
        "nb": "Betal-TV-kortet er gyldig.",
    },
    "ordered": {
        "en": "Order {order} placed; fulfilment reports it {status}.",
        "fi": "Tilaus {order} tehty; toimituksen tila: {status}.",
        "sv": "Beställningen {order} lagd; leveransens status: {status}.",
        "nb": "Bestilling {order} lagt inn; leveransens status: {status}.",
    },
    "mix_edit": {
        "en": "New selection of {count} channels: {change}/month more from {day}.",
        "fi": "Uusi valinta, {count} kanavaa: {change}/kk enemmän {day} alkaen.",
        "sv": "Nytt urval med {count} kanaler: {change}/mån mer från {day}.",
        "nb": "Nytt utvalg med {count} kanaler: {change}/mnd mer fra {day}.",
    },
    "mix_applied": {
        "en": "On {day} the package has {count} channels.",
        "fi": "{day} paketissa on {count} kanavaa.",
        "sv": "Den {day} har paketet {count} kanaler.",
        "nb": "Den {day} har pakken {count} kanaler.",
    },
    "ordered_services": {
        "en": "Ordered services:",
        "fi": "Tilatut palvelut:",
        "sv": "Beställda tjänster:",
        "nb": "Bestilte tjenester:",
    },
    "service_row": {
        "en": "{name}: from {start}, {end}",
        "fi": "{name}: alkaen {start}, {end}",
        "sv": "{name}: från {start}, {end}",
        "nb": "{name}: fra {start}, {end}",
    },
    "until_further_notice": {
        "en": "until further notice",
        "fi": "toistaiseksi",
        "sv": "tills vidare",
        "nb": "inntil videre",
    },
    "ends_on": {
        "en": "ends {day}",
        "fi": "päättyy {day}",
        "sv": "upphör {day}",
        "nb": "slutter {day}",
    },
    "cancellation": {
        "en": "Cancelling {name} is done in writing: request {request} goes to customer "
        "service with {phone} and {email}.",
        "fi": "Palvelun {name} irtisanominen tehdään kirjallisesti: pyyntö {request} menee "
        "asiakaspalveluun, mukana {phone} ja {email}.",
        "sv": "Uppsägningen av {name} görs skriftligt: begäran {request} går till kundtjänst "
        "med {phone} och {email}.",
        "nb": "Oppsigelse av {name} skjer skriftlig: forespørsel {request} går til "
        "kundeservice med {phone} og {email}.",
    },
    "still_active": {
        "en": "Nothing is terminated: {name} is still {status}.",
        "fi": "Mitään ei päätetty: {name} on yhä tilassa {status}.",
        "sv": "Inget avslutas: {name} är fortfarande {status}.",
        "nb": "Ingenting avsluttes: {name} er fortsatt {status}.",
    },
    "phase": {
        "en": "Phase {number}: {what}",
        "fi": "Vaihe {number}: {what}",
        "sv": "Fas {number}: {what}",
        "nb": "Fase {number}: {what}",
    },
    "phase_email": {
        "en": "the invitee's e-mail address {email}",
        "fi": "kutsuttavan sähköpostiosoite {email}",
        "sv": "den inbjudnas e-postadress {email}",
        "nb": "e-postadressen til den inviterte {email}",
    },
    "phase_names": {
        "en": "first and last name {name}",
        "fi": "etu- ja sukunimi {name}",
        "sv": "förnamn och efternamn {name}",
        "nb": "fornavn og etternavn {name}",
    },
    "phase_message": {
        "en": "the cover message",
        "fi": "saateviesti",
        "sv": "följemeddelandet",
        "nb": "følgemeldingen",
    },
    "phase_confirm": {
        "en": "confirm - invitation {invitation} valid until {day}",
        "fi": "vahvistus - kutsu {invitation} voimassa {day} asti",
        "sv": "bekräftelse - inbjudan {invitation} gäller till {day}",
        "nb": "bekreftelse - invitasjon {invitation} gyldig til {day}",
    },
    "proposed_name": {
        "en": "(proposed: {name} is a registered user)",
        "fi": "(ehdotettu: {name} on rekisteröitynyt käyttäjä)",
        "sv": "(föreslaget: {name} är registrerad användare)",
        "nb": "(foreslått: {name} er registrert bruker)",
    },
    "pending": {
        "en": "{name} has {count} invitation(s) to process.",
        "fi": "Henkilöllä {name} on {count} käsiteltävää kutsua.",
        "sv": "{name} har {count} inbjudan/inbjudningar att behandla.",
        "nb": "{name} har {count} invitasjon(er) å behandle.",
    },
    "accepted": {
        "en": "{name} accepts: roles {roles} on {number}.",
        "fi": "{name} hyväksyy: roolit {roles} asiakkuuteen {number}.",
        "sv": "{name} godkänner: rollerna {roles} på {number}.",
        "nb": "{name} godtar: rollene {roles} på {number}.",
    },
    "allowed": {
        "en": "{name} may {permission}: yes ({reason})",
        "fi": "{name} saa {permission}: kyllä ({reason})",
        "sv": "{name} får {permission}: ja ({reason})",
        "nb": "{name} kan {permission}: ja ({reason})",
    },
    "denied": {
        "en": "{name} may {permission}: no",
        "fi": "{name} saa {permission}: ei",
        "sv": "{name} får {permission}: nej",
        "nb": "{name} kan {permission}: nei",
    },
    "removal_choose": {
        "en": "Phase 1, choose roles: remove {roles} from {name} ({count} grant(s)).",
        "fi": "Vaihe 1, roolien valinta: poistetaan {roles} henkilöltä {name} ({count} oikeus).",
        "sv": "Fas 1, val av roller: ta bort {roles} från {name} ({count} behörighet(er)).",
        "nb": "Fase 1, velg roller: fjern {roles} fra {name} ({count} tilgang(er)).",
    },
    "removal_done": {
        "en": "Phase 2, confirm: {count} grant(s) revoked.",
        "fi": "Vaihe 2, vahvistus: {count} oikeus poistettu.",
        "sv": "Fas 2, bekräftelse: {count} behörighet(er) borttagna.",
        "nb": "Fase 2, bekreft: {count} tilgang(er) fjernet.",
    },
    "clock": {
        "en": "The clock moves on to {day}.",
        "fi": "Kello siirtyy päivään {day}.",
        "sv": "Klockan går fram till {day}.",
        "nb": "Klokken går frem til {day}.",
    },
    "subscription": {
        "en": "{name} on {phone}; self-service is not activated yet.",
        "fi": "{name} numerolla {phone}; itsepalvelua ei ole vielä otettu käyttöön.",
        "sv": "{name} på {phone}; självbetjäningen är inte aktiverad än.",
        "nb": "{name} på {phone}; selvbetjening er ikke aktivert ennå.",
    },
    "enter_code": {
        "en": "Entering the code {code}",
        "fi": "Syötetään koodi {code}",
        "sv": "Anger koden {code}",
        "nb": "Legger inn koden {code}",
    },
    "enter_sms_code": {
        "en": "Entering the code from the SMS",
        "fi": "Syötetään tekstiviestin koodi",
        "sv": "Anger koden från sms:et",
        "nb": "Legger inn koden fra SMS-en",
    },
    "phone_confirmed": {
        "en": "The phone number is confirmed; self-service is active.",
        "fi": "Puhelinnumero on vahvistettu; itsepalvelu on käytössä.",
        "sv": "Telefonnumret är bekräftat; självbetjäningen är aktiv.",
        "nb": "Telefonnummeret er bekreftet; selvbetjening er aktiv.",
    },
    "split": {
        "en": "Before you press OK - who pays (allowance {allowance}, {spent} used):",
        "fi": "Ennen kuin painat OK - kuka maksaa (kuukausiraja {allowance}, käytetty {spent}):",
        "sv": "Innan du trycker OK - vem betalar (månadsbelopp {allowance}, {spent} använt):",
        "nb": "Før du trykker OK - hvem betaler (månedlig ramme {allowance}, {spent} brukt):",
    },
    "deduction": {
        "en": "Salary deduction recorded for {month}: {amount}",
        "fi": "Palkasta vähennetään ({month}): {amount}",
        "sv": "Löneavdrag registrerat för {month}: {amount}",
        "nb": "Lønnstrekk registrert for {month}: {amount}",
    },
    "plan_change": {
        "en": "{old} -> {new}: {change}/month, effective {day}.",
        "fi": "{old} -> {new}: {change}/kk, voimaan {day}.",
        "sv": "{old} -> {new}: {change}/mån, gäller från {day}.",
        "nb": "{old} -> {new}: {change}/mnd, gjelder fra {day}.",
    },
    "invoice": {
        "en": "Invoice {number} for {month}, issued {issued}, due {due}, reference {reference}:",
        "fi": "Lasku {number} ({month}), päiväys {issued}, eräpäivä {due}, viite {reference}:",
        "sv": "Faktura {number} för {month}, utfärdad {issued}, förfaller {due}, referens "
        "{reference}:",
        "nb": "Faktura {number} for {month}, utstedt {issued}, forfall {due}, KID {reference}:",
    },
    "vat_row": {
        "en": "VAT {percent} %: net {net}, VAT {vat}",
        "fi": "ALV {percent} %: veroton {net}, vero {vat}",
        "sv": "Moms {percent} %: netto {net}, moms {vat}",
        "nb": "MVA {percent} %: netto {net}, MVA {vat}",
    },
    "total": {
        "en": "Total {gross} (of which VAT {vat})",
        "fi": "Yhteensä {gross} (josta ALV {vat})",
        "sv": "Totalt {gross} (varav moms {vat})",
        "nb": "Totalt {gross} (herav MVA {vat})",
    },
    "done": {
        "en": "Done: every journey ran; the database is in {path}.",
        "fi": "Valmis: kaikki polut ajettiin; tietokanta on tiedostossa {path}.",
        "sv": "Klart: alla flöden kördes; databasen finns i {path}.",
        "nb": "Ferdig: alle reisene er kjørt; databasen ligger i {path}.",
    },
    "done_temporary": {
        "en": "Done: every journey ran (the temporary database is removed).",
        "fi": "Valmis: kaikki polut ajettiin (väliaikainen tietokanta poistetaan).",
        "sv": "Klart: alla flöden kördes (den tillfälliga databasen tas bort).",
        "nb": "Ferdig: alle reisene er kjørt (den midlertidige databasen slettes).",
    },
    "db_unusable": {
        "en": "{path} cannot be used as a SQLite database ({error}).",
        "fi": "Tiedostoa {path} ei voi käyttää SQLite-tietokantana ({error}).",
        "sv": "{path} kan inte användas som SQLite-databas ({error}).",
        "nb": "{path} kan ikke brukes som SQLite-database ({error}).",
    },
    "db_in_use": {
        "en": "{path} already holds a demo run; give a new path.",
        "fi": "{path} sisältää jo esittelyn tiedot; anna uusi polku.",
        "sv": "{path} innehåller redan en demokörning; ange en ny sökväg.",
        "nb": "{path} inneholder allerede en demokjøring; oppgi en ny sti.",
    },
}

_PERMISSION_NAMES: Final = {
    "view_invoices": {
        "en": "see the invoices",
        "fi": "nähdä laskut",
        "sv": "se fakturorna",
        "nb": "se fakturaene",
    },
    "order_services": {
        "en": "order services",
        "fi": "tilata palveluita",
        "sv": "beställa tjänster",
        "nb": "bestille tjenester",
    },
}

# Order states, product statuses and invoice line kinds the demo prints.
_STATE_NAMES: Final = {
    "completed": {"en": "completed", "fi": "valmis", "sv": "slutförd", "nb": "fullført"},
    "active": {"en": "active", "fi": "voimassa", "sv": "aktiv", "nb": "aktiv"},
    "recurring": {"en": "monthly", "fi": "kuukausimaksu", "sv": "månadsavgift", "nb": "månedspris"},
    "credit": {"en": "credit", "fi": "hyvitys", "sv": "kreditering", "nb": "kreditering"},
    "one_time": {"en": "one-time", "fi": "kertamaksu", "sv": "engångsavgift", "nb": "engangspris"},
}

_CHANNEL_NAMES: Final = {
    "email": {"en": "E-mail", "fi": "Sähköposti", "sv": "E-post", "nb": "E-post"},
    "sms": {"en": "SMS", "fi": "Tekstiviesti", "sv": "Sms", "nb": "SMS"},
}

_DATE_LOCALES: Final = {"en": "en_IE", "fi": "fi_FI", "sv": "sv_SE", "nb": "nb_NO"}


class SeededSecrets:
    """A :class:`~selfcare.core.ids.SecretSource` from a seeded pseudo-random generator.

    Reproducible, hence for demos and tests only: production uses
    :class:`~selfcare.core.ids.SystemSecrets`.

    >>> a, b = SeededSecrets(7), SeededSecrets(7)
    >>> a.digits(6) == b.digits(6), len(a.token(16)) >= 16
    (True, True)
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)  # noqa: S311 - reproducible on purpose

    def token(self, nbytes: int) -> str:
        """A URL-safe token of ``nbytes`` pseudo-random bytes."""
        import base64  # noqa: PLC0415 - only the demo needs it

        raw = self._random.randbytes(nbytes)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def digits(self, count: int) -> str:
        """``count`` pseudo-random decimal digits."""
        return "".join(str(self._random.randrange(10)) for _ in range(count))


class _Out:
    """Prints narration, results and refusals in one language."""

    def __init__(self, out: TextIO, lang: str) -> None:
        self.out = out
        self.lang = lang

    def say(self, key: str, indent: int = 1, **params: object) -> None:
        text = NARRATION[key][self.lang].format(**params)
        self.line(text, indent)

    def line(self, text: str, indent: int = 1) -> None:
        self.out.write(("  " * indent + text if text else "") + "\n")

    def heading(self, key: str) -> None:
        text = NARRATION[key][self.lang]
        self.out.write(f"\n{text}\n{'=' * len(text)}\n")

    def refusal(self, violations: Iterable[Violation]) -> None:
        self.say("refused")
        for violation in violations:
            self.line(f"- {violation.message(self.lang)}", 2)
            hints = violation.params.get("hints", ())
            if isinstance(hints, tuple) and hints:
                from selfcare.identity.password import hint_message  # noqa: PLC0415

                for hint in hints:
                    self.line(f"* {hint_message(str(hint), self.lang)}", 3)

    def day(self, moment: datetime | date) -> str:
        from babel.dates import format_date  # noqa: PLC0415 - heavy, loaded on first use

        day = local_date(moment, operator_zone()) if isinstance(moment, datetime) else moment
        text: str = format_date(day, format="medium", locale=_DATE_LOCALES[self.lang])
        return text

    def month(self, year: int, month: int) -> str:
        from babel.dates import format_date  # noqa: PLC0415

        text: str = format_date(
            date(year, month, 1), format="LLLL y", locale=_DATE_LOCALES[self.lang]
        )
        return text

    def state(self, value: str) -> str:
        names = _STATE_NAMES.get(value)
        return value if names is None else names[self.lang]

    def money(self, amount: Money) -> str:
        return amount.format(self.lang).replace("\xa0", " ")

    def message(self, message: OutgoingMessage) -> None:
        extra = ""
        if message.secret is not None:
            extra = NARRATION["with_code" if message.channel.value == "sms" else "with_link"][
                self.lang
            ]
        params = "".join(f" {key}={value}" for key, value in message.params.items() if value)
        self.say(
            "sent",
            channel=_CHANNEL_NAMES[message.channel.value][self.lang],
            recipient=message.recipient,
            template=message.template,
            language=message.language.value,
            extra=extra + params,
        )


def _masked(national_id: NationalId | None) -> str:
    return "-" if national_id is None else national_id.masked


# -- storage ------------------------------------------------------------------------


@attrs.define
class _Stores:
    identity: IdentityUnitOfWork
    authz: AuthzUnitOfWork
    catalog: CatalogUnitOfWork
    billing: BillingUnitOfWork
    close: Callable[[], None]


def _open_stores(path: Path) -> _Stores:
    """Every domain's unit of work on the SQLite file ``path``."""
    from selfcare.adapters.sqlite.authz import SqliteAuthzUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.sqlite.billing import SqliteBillingUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.sqlite.catalog import SqliteCatalogUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.sqlite.identity import SqliteIdentityUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.sqlite.schema import open_database  # noqa: PLC0415
    from selfcare.identity.national_id_at_rest import NationalIdKey  # noqa: PLC0415

    database = open_database(path)
    return _Stores(
        identity=SqliteIdentityUnitOfWork(database, NationalIdKey(DEMO_KEY)),
        authz=SqliteAuthzUnitOfWork(database),
        catalog=SqliteCatalogUnitOfWork(database),
        billing=SqliteBillingUnitOfWork(database),
        close=database.close,
    )


# -- the journeys ---------------------------------------------------------------------


class _Demo:
    """The five journeys, sharing one clock, one id sequence and the stores."""

    def __init__(self, out: _Out, stores: _Stores) -> None:
        from selfcare.adapters.memory.identity import (  # noqa: PLC0415
            MemoryCustomerDirectory,
            MemoryFeedbackInbox,
            RecordingNotifier,
        )
        from selfcare.authz import AuthzService, InvitationPolicy  # noqa: PLC0415
        from selfcare.authz.accounts import IdentityAccountDirectory  # noqa: PLC0415
        from selfcare.identity import (  # noqa: PLC0415
            CustomerRecord,
            IdentityService,
            PasswordPolicy,
            ProfileDraft,
            RegistrationPolicy,
            ScryptHasher,
            parse_national_id,
        )

        self.out = out
        self.stores = stores
        self.clock = FixedClock(START)
        self.ids = SequentialIds("demo")
        self.secrets = SeededSecrets(2026)
        self.accounts: dict[str, AccountId] = {}
        self.relationships: dict[str, RelationshipId] = {}
        today = START.date()
        self.people = {
            "anna": parse_national_id("131052-308T", "FI", today=today),
            "pekka": parse_national_id("150380-211J", "FI", today=today),
            "matti": parse_national_id("240587-1327", "FI", today=today),
            "kari": parse_national_id("15078010085", "NO", today=today),
        }
        anna = self.people["anna"]
        self.directory = MemoryCustomerDirectory(
            [
                CustomerRecord(
                    customer_number="6001234",
                    kind="electricity",
                    national_ids_on_file=(anna,),
                    names_on_invoice=("Anna Virtanen", "Pekka Virtanen"),
                    contact=ProfileDraft(
                        given_names="Anna",
                        surname="Virtanen",
                        email="anna.virtanen@example.fi",
                        phone="+358 40 123 4567",
                        street="Mannerheimintie 1 A 2",
                        postal_code="00100",
                        city="Helsinki",
                    ),
                ),
                CustomerRecord(
                    customer_number="8100777",
                    kind="broadband_tv",
                    national_ids_on_file=(anna,),
                    names_on_invoice=("Anna Virtanen",),
                ),
                # Seed 000: Matti's contract data lacks his identity code.
                CustomerRecord(
                    customer_number="8100999",
                    kind="broadband_tv",
                    names_on_invoice=("Matti Meikäläinen",),
                ),
                CustomerRecord(
                    customer_number="NO-991234567-17",
                    kind="corporate_mobile",
                    national_ids_on_file=(self.people["kari"],),
                    names_on_invoice=("Trøndelag fylkeskommune",),
                ),
            ]
        )
        self.notifier = RecordingNotifier()
        self.identity = IdentityService(
            uow=self.stores.identity,
            directory=self.directory,
            hasher=ScryptHasher(n=2**10),  # production: ScryptHasher() (OWASP parameters)
            notifier=self.notifier,
            feedback_inbox=MemoryFeedbackInbox(),
            clock=self.clock,
            ids=self.ids,
            secrets=self.secrets,
            registration_policy=RegistrationPolicy(
                terms_version="2026-01",
                accepted_providers={"nordea", "op", "danske", "handelsbanken"},
                password=PasswordPolicy(),  # seed 001's rules are the defaults
            ),
        )
        self.authz = AuthzService(
            uow=self.stores.authz,
            accounts=IdentityAccountDirectory(self.stores.identity),
            customers=self.directory,
            clock=self.clock,
            ids=self.ids,
            secrets=self.secrets,
            invitation_policy=InvitationPolicy(propose_registered_names=True),
        )

    # -- helpers ----------------------------------------------------------------------

    def _catalog_service(self, id_prefix: str) -> CatalogService:
        # One service per step, each numbering its orders from 1 ("order-1", "o5-1").
        from selfcare.catalog import CatalogService  # noqa: PLC0415

        return CatalogService(
            uow=self.stores.catalog, clock=self.clock, ids=SequentialIds(id_prefix)
        )

    def _billing(self) -> BillingService:
        """Billing over the demo's store, on the demo's clock."""
        from selfcare.billing import BillingService  # noqa: PLC0415

        return BillingService(uow=self.stores.billing, clock=self.clock, ids=self.ids)

    def _assertion(self, person: str, given: str, surname: str, provider: str) -> object:
        from selfcare.identity import AuthMethod, IdentityAssertion, LevelOfAssurance  # noqa: PLC0415

        return IdentityAssertion(
            method=AuthMethod.BANK,
            level=LevelOfAssurance.SUBSTANTIAL,
            national_id=self.people[person],
            given_names=given,
            surname=surname,
            provider=provider,
            issued_at=self.clock.now(),
        )

    def _register(
        self,
        person: str,
        given: str,
        surname: str,
        *,
        email: str | None = None,
        passwords: Sequence[str] = ("Kuusi7Sorsaa!",),
        show_rules: bool = False,
        unlisted_bank: str | None = None,
    ) -> AccountId:
        """Seed 001's four phases; returns the new account."""
        from selfcare.identity import IdentityAssertion  # noqa: PLC0415

        out, service = self.out, self.identity
        registration = service.start_registration(language=self.out.lang).unwrap()
        registration = service.accept_terms(registration.id, terms_version="2026-01").unwrap()
        out.say("terms", name=f"{given} {surname}", version="2026-01")
        if unlisted_bank is not None:
            bank = cast("IdentityAssertion", self._assertion(person, given, surname, unlisted_bank))
            out.say("try_bank", bank=unlisted_bank)
            out.refusal(service.identify(registration.id, bank).decision.violations)
        assertion = cast("IdentityAssertion", self._assertion(person, given, surname, "nordea"))
        registration = service.identify(registration.id, assertion).unwrap()
        out.say("identified", provider="Nordea", national_id=_masked(registration.national_id))
        registration = service.match_customers(registration.id).unwrap()
        self._show_match(registration.customers, ())  # the advice is shown on completion
        form = registration.prefill
        if form is None:  # pragma: no cover - a matched registration has a prefill
            raise AssertionError("no prefill")
        address = ", ".join(part for part in (form.street, form.postal_code, form.city) if part)
        out.say(
            "prefill",
            name=f"{form.given_names} {form.surname}",
            email=form.email or "-",
            address=address or "-",
        )
        if email is not None and email != form.email:
            out.say("email_changed" if form.email else "email_entered", email=email)
            form = attrs.evolve(form, email=email)
        registration = service.confirm_profile(registration.id, form).unwrap()
        if show_rules:
            out.say("password_rules")
            for rule in service.registration_policy.password.help(out.lang):
                out.line(f"- {rule}", 2)
        for password in passwords:
            out.say("try_password", password=password)
            result = service.set_credentials(registration.id, password)
            if not result.ok:
                out.refusal(result.decision.violations)
        out.say("password_ok")
        registration = service.confirm_registration(registration.id).unwrap()
        verify = self.notifier.last()
        out.message(verify)
        if verify.secret is None:  # pragma: no cover - a verification e-mail has a token
            raise AssertionError("no token")
        completion = service.complete_registration(registration.id, verify.secret).unwrap()
        account = completion.account
        out.say("completed", account=account.id, email=account.email.value)
        out.message(self.notifier.last())
        for advisory in completion.registration.advisories:
            out.say("advisory")
            out.line(f"- {advisory.message(out.lang)}", 2)
        return account.id

    def _show_match(self, customers: Sequence[object], advisories: Sequence[Violation]) -> None:
        found = ", ".join(
            f"{getattr(c, 'customer_number', '')} ({getattr(c, 'kind', '')})" for c in customers
        )
        self.out.say("matched", found=found or NARRATION["none"][self.out.lang])
        for advisory in advisories:
            self.out.say("advisory")
            self.out.line(f"- {advisory.message(self.out.lang)}", 2)

    def _link(self, account: AccountId, person: str) -> None:
        """Publish CustomerRelationshipLinked: authz gives the holder grants."""
        linked = self.authz.link_customer_relationships(account, self.people[person]).unwrap()
        with self.stores.authz as uow:
            for grant in linked:
                relationship = uow.relationships.find(grant.relationship_id)
                if relationship is None:  # pragma: no cover - just linked
                    continue
                self.relationships[relationship.customer_number] = relationship.id
                self.out.say(
                    "linked",
                    number=relationship.customer_number,
                    kind=relationship.kind,
                    account=account,
                )

    def _check(self, name: str, account: AccountId, permission: str, number: str) -> Decision:
        """The permission check, printed; as a decision for catalog's eligibility rules."""
        outcome = self.authz.check(account, permission, self.relationships[number])
        label = _PERMISSION_NAMES[permission][self.out.lang]
        match outcome:
            case Done(value=grant):
                reason = f"grant:{grant.id}"
                self.out.say("allowed", name=name, permission=label, reason=reason)
                return Decision.allow(reason=reason)
            case Refused(decision=decision):
                self.out.say("denied", name=name, permission=label)
                self.out.refusal(decision.violations)
                return decision

    # -- journey 1 ----------------------------------------------------------------------

    def journey_1(self) -> None:
        self.out.heading("j1")
        anna = self._register(
            "anna",
            "Anna",
            "Virtanen",
            email="anna.private@example.fi",
            passwords=("anna2026", "Kuusi7Sorsaa!"),
            show_rules=True,
            unlisted_bank="Sparbanken",
        )
        self.accounts["anna"] = anna
        account = self.identity.login("Anna.Private@example.fi", "Kuusi7Sorsaa!").unwrap()
        self.out.say("login", email=account.email.value)
        self._link(anna, "anna")

    # -- journey 2 ----------------------------------------------------------------------

    def journey_2(self) -> None:
        from selfcare.identity import IdentityAssertion  # noqa: PLC0415

        out = self.out
        out.heading("j2")
        out.say("no_code_on_file", name="Matti Meikäläinen")
        self.accounts["matti"] = self._register(
            "matti", "Matti", "Meikäläinen", email="matti.meikalainen@example.fi"
        )
        out.line("")
        out.say("two_names", names="Anna Virtanen, Pekka Virtanen", holder="Anna Virtanen")
        service = self.identity
        registration = service.start_registration(language=out.lang).unwrap()
        registration = service.accept_terms(registration.id, terms_version="2026-01").unwrap()
        assertion = cast("IdentityAssertion", self._assertion("pekka", "Pekka", "Virtanen", "op"))
        registration = service.identify(registration.id, assertion).unwrap()
        out.say("identified", provider="OP", national_id=_masked(registration.national_id))
        registration = service.match_customers(registration.id).unwrap()
        self._show_match(registration.customers, registration.advisories)
        service.abandon_registration(registration.id).unwrap()
        out.say("abandoned", name="Pekka", holder="Anna")

    # -- journey 3 ----------------------------------------------------------------------

    def journey_3(self) -> None:  # noqa: PLR0915 - one journey, told in order
        from selfcare.billing import BillingMethod  # noqa: PLC0415
        from selfcare.catalog import (  # noqa: PLC0415
            EligibilityContext,
            OrderItem,
            OrderState,
            ordered_services,
        )
        from selfcare.catalog.sample import sample_catalog  # noqa: PLC0415

        out, uow = self.out, self.stores.catalog
        service = self._catalog_service("order")
        out.heading("j3")
        self.clock.set(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
        anna, number = self.accounts["anna"], "8100777"
        relationship = self.relationships[number]
        payer = CustomerNumber(number)
        permission = self._check("Anna", anna, "order_services", number)

        # Seed 002: ordering needs a customer relationship and a billing agreement.
        billing = self._billing()
        out.refusal(billing.check_billing_agreement(payer).decision.violations)
        agreement = billing.add_billing_agreement(
            agreement_id="ba-8100777",
            payer=payer,
            method=BillingMethod.E_INVOICE,
            valid_from=date(2026, 3, 1),
        ).unwrap()
        out.say(
            "agreement_added",
            agreement=agreement.agreement_id,
            method=agreement.method.value,
            day=out.day(agreement.valid_from),
        )

        def context(capabilities: frozenset[str] = frozenset()) -> EligibilityContext:
            return EligibilityContext(
                relationship_id=relationship,
                relationship_active=True,
                has_billing_agreement=billing.check_billing_agreement(payer).ok,
                permission=permission,
                capabilities=capabilities,
            )

        out.refusal(
            service.quote_order(OrderItem.add("tv_sport_12m"), context()).decision.violations
        )
        out.say("card_added")
        card = frozenset({"pay_tv_card"})

        def order(items: OrderItem | list[OrderItem], key: str) -> str:
            quote = service.quote_order(items, context(card)).unwrap()
            out.say("quote")
            for line in quote.summary(out.lang):
                out.line(f"- {line.replace(chr(0xA0), ' ')}", 2)
            placed = service.place_order(quote, context(card), idempotency_key=key).unwrap()
            service.advance_order(placed.id, OrderState.IN_PROGRESS).unwrap()
            done = service.advance_order(placed.id, OrderState.COMPLETED).unwrap()
            out.say("ordered", order=placed.id, status=out.state(done.state.value))
            return placed.id

        sport_order = order(OrderItem.add("tv_sport_12m"), "form-1")
        order(OrderItem.add("security_total"), "form-2")

        # The MIX package: 3-6 channels.
        too_few = OrderItem.add("mix_package", bundle_items={"mix_music"})
        out.refusal(service.quote_order(too_few, context(card)).decision.violations)
        channels = frozenset({"mix_history", "mix_music", "mix_travel"})
        mix_order = order(OrderItem.add("mix_package", bundle_items=channels), "form-3")
        with uow:
            (package,) = uow.inventory.for_order(mix_order)
            (sport,) = uow.inventory.for_order(sport_order)
        five = channels | {"mix_food", "mix_crime"}
        quote = service.quote_order(OrderItem.edit_bundle(package.id, five), context(card)).unwrap()
        line = quote.lines[0]
        out.say(
            "mix_edit",
            count=len(five),
            change=out.money(line.monthly_change or Money.zero("EUR")),
            day=out.day(line.effective_at or self.clock.now()),
        )
        service.edit_bundle(package.id, five, context(card), idempotency_key="form-4").unwrap()
        april = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
        self.clock.set(april)
        out.say("clock", day=out.day(april))
        applied = service.apply_due_changes(relationship).unwrap()
        out.say("mix_applied", day=out.day(april), count=len(applied[0].bundle_items))

        out.say("ordered_services")
        with uow:
            products = uow.inventory.for_relationship(relationship)
        for row in ordered_services(products, sample_catalog(), now=april, lang=out.lang):
            end = (
                NARRATION["until_further_notice"][out.lang]
                if row.end is None
                else NARRATION["ends_on"][out.lang].format(day=out.day(row.end))
            )
            start = out.day(row.start) if row.start is not None else "-"
            out.line(
                "- "
                + NARRATION["service_row"][out.lang].format(name=row.name, start=start, end=end),
                2,
            )

        receipt = self._catalog_service("request").cancel_service(
            sport.id,
            context(card),
            contact_phone="+358 40 123 4567",
            contact_email="anna.private@example.fi",
        )
        request = receipt.unwrap().request
        if request is None:  # pragma: no cover - seed 002's services are written-only
            raise AssertionError("expected a written request")
        name = sample_catalog().find("tv_sport_12m")
        shown = name.names.get(out.lang) if name is not None else "tv_sport_12m"
        out.say(
            "cancellation",
            name=shown,
            request=request.id,
            phone=request.contact_phone,
            email=request.contact_email,
        )
        with uow:
            still = uow.inventory.find(sport.id)
        out.say("still_active", name=shown, status=out.state(still.status.value) if still else "-")

    # -- journey 4 ----------------------------------------------------------------------

    def journey_4(self) -> None:
        from selfcare.authz import ORDERER, USER  # noqa: PLC0415

        out, service = self.out, self.authz
        out.heading("j4")
        start = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
        self.clock.set(start)
        anna, number = self.accounts["anna"], "6001234"
        relationship = self.relationships[number]

        # Phase 1 - 4 of seed 003; the cover message is mandatory.
        issued = self._invite(
            relationship,
            "pekka.virtanen@example.fi",
            ("Pekka", "Virtanen"),
            "Hei Pekka, tässä sähkösopimuksemme. Terveisin Anna",
            {USER, ORDERER},
            inviter=anna,
            empty_message_first=True,
        )
        email = issued.invitation.email.value

        # The spouse has no account yet: he registers within 7 days, then accepts.
        self.clock.advance(timedelta(days=2))
        out.say("clock", day=out.day(self.clock.now()))
        pekka = self._register(
            "pekka", "Pekka", "Virtanen", email=email, passwords=("Pohjoistuuli9!",)
        )
        self.accounts["pekka"] = pekka
        pending = service.pending_invitations_of(pekka).unwrap()
        out.say("pending", name="Pekka", count=len(pending))
        acceptance = service.accept(issued.token, pekka).unwrap()
        roles = ", ".join(sorted(g.role for g in acceptance.grants))
        out.say("accepted", name="Pekka", roles=roles, number=number)
        self._check("Pekka", pekka, "view_invoices", number)
        self._check("Pekka", pekka, "order_services", number)

        # Removing a role: choose, then confirm.
        request = service.request_removal(pekka, relationship, {ORDERER}, by=anna).unwrap()
        out.say("removal_choose", roles=ORDERER, name="Pekka", count=len(request.grants))
        revoked = service.confirm_removal(request, by=anna).unwrap()
        out.say("removal_done", count=len(revoked))
        self._check("Pekka", pekka, "order_services", number)
        self._check("Pekka", pekka, "view_invoices", number)

        # An invitation nobody answers in 7 days. Matti is a registered user, so phase 2
        # proposes his name (the operator has opted in).
        late = self._invite(
            relationship,
            "matti.meikalainen@example.fi",
            ("Matti", "Meikäläinen"),
            "Hei Matti, tässä mökin sähkösopimus.",
            {USER},
            inviter=anna,
        )
        self.clock.set(late.invitation.expires_at + timedelta(minutes=1))
        out.say("clock", day=out.day(self.clock.now()))
        late_answer = service.accept(late.token, self.accounts["matti"])
        if isinstance(late_answer, Refused):
            out.refusal(late_answer.decision.violations)

    def _invite(
        self,
        relationship: RelationshipId,
        email: str,
        name: tuple[str, str],
        message: str,
        roles: set[Role],
        *,
        inviter: AccountId,
        empty_message_first: bool = False,
    ) -> IssuedInvitation:
        """Seed 003's four phases, each printed; the invitation e-mail is composed."""
        from selfcare.authz import check_cover_message  # noqa: PLC0415

        out, service = self.out, self.authz
        out.say("phase", number=1, what=NARRATION["phase_email"][out.lang].format(email=email))
        proposed = service.propose_invitee_name(relationship, email, caller=inviter).unwrap()
        if proposed is not None:
            name = (proposed.first_name, proposed.last_name)
        shown = NARRATION["phase_names"][out.lang].format(name=" ".join(name))
        out.say("phase", number=2, what=shown)
        if proposed is not None:
            out.say("proposed_name", indent=2, name=" ".join(name))
        out.say("phase", number=3, what=NARRATION["phase_message"][out.lang])
        if empty_message_first:
            out.refusal(check_cover_message("   ").violations)
        out.line(f'"{message}"', 2)
        issued = service.invite(
            relationship,
            email,
            first_name=name[0],
            last_name=name[1],
            message=message,
            roles=roles,
            inviter=inviter,
        ).unwrap()
        invitation = issued.invitation
        confirm = NARRATION["phase_confirm"][out.lang].format(
            invitation=invitation.id, day=out.day(invitation.expires_at)
        )
        out.say("phase", number=4, what=confirm)
        self._send_invitation(invitation, issued.token)
        return issued

    def _send_invitation(self, invitation: Invitation, token: str) -> None:
        from selfcare.identity.ports import Channel, OutgoingMessage  # noqa: PLC0415
        from selfcare.identity.profile import Language  # noqa: PLC0415

        message = OutgoingMessage(
            template="authz.invitation",
            channel=Channel.EMAIL,
            recipient=invitation.email.value,
            language=Language(self.out.lang),
            params={
                "first_name": invitation.first_name,
                "valid_until": local_date(invitation.expires_at, operator_zone()).isoformat(),
            },
            secret=token,
        )
        self.notifier.send(message)
        self.out.message(message)

    # -- journey 5 ----------------------------------------------------------------------

    def journey_5(self) -> None:  # noqa: PLR0915 - one journey, told in order
        from selfcare.billing import (  # noqa: PLC0415
            BillingMethod,
            BillingPeriod,
            MobilePolicy,
            PlanChange,
            chargeable_services,
            deduction_statement,
            deductions_of,
            payer_split,
            quoted_charges,
        )
        from selfcare.catalog import (  # noqa: PLC0415
            Asset,
            EligibilityContext,
            OrderItem,
            OrderState,
            ProductInstance,
            ProductStatus,
        )
        from selfcare.catalog.sample import sample_catalog  # noqa: PLC0415
        from selfcare.identity import PhoneNumber, issue_code, require_mobile, verify_code  # noqa: PLC0415
        from selfcare.identity.ports import Channel, OutgoingMessage  # noqa: PLC0415
        from selfcare.identity.profile import Language  # noqa: PLC0415

        out, uow, catalog = self.out, self.stores.catalog, sample_catalog()
        out.heading("j5")
        now = datetime(2026, 4, 10, 7, 0, tzinfo=UTC)
        self.clock.set(now)
        kari = AccountId("kari.nordmann")  # signs in with the work account (SSO)
        self._link(kari, "kari")
        number = "NO-991234567-17"
        relationship = self.relationships[number]
        permission = self._check("Kari", kari, "order_services", number)
        payer = CustomerNumber(number)
        billing = self._billing()
        billing.add_billing_agreement(
            agreement_id="ba-991234567",
            payer=payer,
            method=BillingMethod.E_INVOICE,
            valid_from=date(2025, 1, 1),
        ).unwrap()

        phone = Asset.msisdn("412 34 567", region="NO")
        plan = catalog.find("bedrift_total_c_10gb")
        with uow:
            uow.inventory.add(
                ProductInstance(
                    id="sub-kari",
                    offering_id="bedrift_total_c_10gb",
                    relationship_id=relationship,
                    status=ProductStatus.ACTIVE,
                    asset=phone,
                    start=datetime(2025, 1, 1, tzinfo=UTC),
                )
            )
            uow.commit()
        plan_name = plan.names.get(out.lang) if plan is not None else "bedrift_total_c_10gb"
        out.say("subscription", name=plan_name, phone=phone.value)

        def context(confirmed: bool) -> EligibilityContext:
            return EligibilityContext(
                relationship_id=relationship,
                relationship_active=True,
                has_billing_agreement=True,
                permission=permission,
                phone_number_confirmed=confirmed,
            )

        extra = OrderItem.add("extra_data_15gb", asset=phone)
        orders = self._catalog_service("o5")
        out.refusal(orders.quote_order(extra, context(False)).decision.violations)

        # Confirm the phone number with a one-time code by SMS.
        mobile = PhoneNumber.parse(phone.value)
        require_mobile(mobile).raise_for_denial()
        challenge, code = issue_code(mobile, challenge_id="otp-1", now=now, secrets=self.secrets)
        sms = OutgoingMessage(
            template="otp.confirm_phone",
            channel=Channel.SMS,
            recipient=mobile.e164,
            language=Language(out.lang),
            secret=code,
        )
        self.notifier.send(sms)
        out.message(sms)
        wrong = "000000" if code != "000000" else "111111"
        out.say("enter_code", code=wrong)
        challenge, decision = verify_code(challenge, wrong, now=now + timedelta(seconds=30))
        out.refusal(decision.violations)
        out.say("enter_sms_code")
        challenge, decision = verify_code(challenge, code, now=now + timedelta(seconds=50))
        if not decision:  # pragma: no cover - the right code
            raise SelfcareError(*decision.violations)
        out.say("phone_confirmed")

        # Order extra data: the dialog shows the salary deduction before OK.
        policy = MobilePolicy(
            policy_id="mp-trondelag",
            employer="Trøndelag fylkeskommune",
            monthly_allowance=Money("100", "NOK"),
            employer_paid={"bedrift_total_c_10gb", "bedrift_total_e_50gb"},
            employee_paid={"cloud_storage_50gb", "cloud_storage_25gb", "cloud_storage_10gb"},
        )
        spent = Money("30", "NOK")
        quote = orders.quote_order(extra, context(True)).unwrap()
        out.say("quote")
        for line in quote.summary(out.lang):
            out.line(f"- {line.replace(chr(0xA0), ' ')}", 2)
        split = payer_split(quoted_charges(quote, lang=out.lang), policy, spent, lang=out.lang)
        out.say("split", allowance=out.money(policy.monthly_allowance), spent=out.money(spent))
        for line in split.summary(out.lang):
            out.line(f"- {line.replace(chr(0xA0), ' ')}", 2)
        placed = orders.place_order(quote, context(True), idempotency_key="dlg-1").unwrap()
        orders.advance_order(placed.id, OrderState.IN_PROGRESS).unwrap()
        done = orders.advance_order(placed.id, OrderState.COMPLETED).unwrap()
        out.say("ordered", order=placed.id, status=out.state(done.state.value))
        entries = deductions_of(split, day=local_date(now, operator_zone()))
        statement = deduction_statement("kari.nordmann", BillingPeriod(2026, 4), entries, "NOK")
        out.say("deduction", month=out.month(2026, 4), amount=out.money(statement.total))

        # Change plan Total C 10 GB -> Total E 50 GB (an upgrade applies at once).
        with uow:
            before = uow.inventory.for_relationship(relationship)
        services_before = chargeable_services(
            [p for p in before if p.id == "sub-kari"], catalog, zone=operator_zone(), lang=out.lang
        )
        target = "bedrift_total_e_50gb"
        up = orders.quote_order(OrderItem.change_plan("sub-kari", target), context(True)).unwrap()
        change_line = up.lines[0]
        target_offering = catalog.find(target)
        target_name = target_offering.names.get(out.lang) if target_offering else target
        effective = change_line.effective_at or now
        out.say(
            "plan_change",
            old=plan_name,
            new=target_name,
            change=out.money(change_line.monthly_change or Money.zero("NOK")),
            day=out.day(effective),
        )
        self._catalog_service("p5").change_plan(
            "sub-kari", target, context(True), idempotency_key="plan-1"
        ).unwrap()

        # April's invoice, issued on 1 May: the plan as it was, the change from the
        # 10th, the extra data from the 10th.
        may = datetime(2026, 4, 30, 21, 0, tzinfo=UTC)
        self.clock.set(may)
        out.say("clock", day=out.day(may))
        with uow:
            products = uow.inventory.for_relationship(relationship)
        added = chargeable_services(
            [p for p in products if p.id != "sub-kari"],
            catalog,
            zone=operator_zone(),
            lang=out.lang,
        )
        change = PlanChange(
            service_id="sub-kari",
            on=local_date(effective, operator_zone()),
            description=f"{target_name} {phone.value}",
            monthly_price=(target_offering.monthly_price if target_offering else None)
            or Money.zero("NOK"),
        )
        invoice = billing.issue_invoice(
            invoice_number="2026040001",
            payer=payer,
            period=BillingPeriod(2026, 4),
            services=[*services_before, *added],
            country="NO",
            currency="NOK",
            plan_changes=[change],
        ).unwrap()
        out.say(
            "invoice",
            number=invoice.invoice_id,
            month=out.month(2026, 4),
            issued=out.day(invoice.issued_on),
            due=out.day(invoice.due_on),
            reference=invoice.reference,
        )
        for charge in invoice.lines:
            out.line(
                f"- {charge.description} ({out.state(charge.kind.value)}): "
                f"{out.day(charge.supply_from)} - "
                f"{out.day(charge.supply_to)}  {out.money(charge.gross)}",
                2,
            )
        for row in invoice.vat_breakdown():
            out.say(
                "vat_row",
                indent=2,
                percent=row.vat_percent,
                net=out.money(row.net),
                vat=out.money(row.vat),
            )
        out.say("total", gross=out.money(invoice.gross_total), vat=out.money(invoice.vat_total))


def _has_demo_data(path: Path) -> bool:
    import contextlib  # noqa: PLC0415
    import sqlite3  # noqa: PLC0415

    if not path.exists() or path.stat().st_size == 0:
        return False
    with contextlib.closing(sqlite3.connect(path)) as conn:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
    return row is not None


def run_demo(out: TextIO, *, lang: str = "en", db: str | Path | None = None) -> int:
    """Run the five journeys, printing in ``lang``; returns the exit code.

    Args:
        out: where to print.
        lang: ``en``, ``fi``, ``sv`` or ``nb``.
        db: a SQLite file to keep; a temporary one (removed afterwards) when ``None``.

    Returns:
        0 when every journey ran; 2 when ``db`` already holds a demo run or cannot be
        opened as a SQLite database (nothing is written to it then).
    """
    language = normalize_language(lang)
    printer = _Out(out, language)
    printer.out.write(NARRATION["title"][language] + "\n")
    if db is not None:
        import sqlite3  # noqa: PLC0415

        path = Path(db)
        try:
            if _has_demo_data(path):
                printer.say("db_in_use", indent=0, path=path)
                return 2
            stores = _open_stores(path)
        except (sqlite3.Error, StorageUnavailable, OSError) as error:
            printer.say("db_unusable", indent=0, path=path, error=error)
            return 2
        return _run(printer, stores, path, keep=True)
    with tempfile.TemporaryDirectory(prefix="selfcare-demo-") as folder:
        path = Path(folder) / "demo.sqlite3"
        return _run(printer, _open_stores(path), path, keep=False)


def _run(printer: _Out, stores: _Stores, path: Path, *, keep: bool) -> int:
    from selfcare.catalog.sample import sample_catalog  # noqa: PLC0415

    printer.say("storage", indent=0, path=path if keep else path.name)
    try:
        with stores.catalog as uow:
            for offering in sample_catalog().offerings:
                uow.catalog.add(offering)
            uow.commit()
        demo = _Demo(printer, stores)
        demo.journey_1()
        demo.journey_2()
        demo.journey_3()
        demo.journey_4()
        demo.journey_5()
    finally:
        stores.close()
    printer.out.write("\n")
    if keep:
        printer.say("done", indent=0, path=path)
    else:
        printer.say("done_temporary", indent=0)
    return 0
