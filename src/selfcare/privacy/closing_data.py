"""The kinds of data the closing summary (:class:`~selfcare.privacy.closing.ClosingSummary`)
lists - what closing erases (:class:`ErasedData`) and what it keeps by law
(:class:`KeptRecord`) - and their texts in the library's four languages."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from selfcare.catalog.offerings import LocalizedText

__all__ = ["ERASED_TEXTS", "KEPT_TEXTS", "ErasedData", "KeptRecord"]


class ErasedData(enum.StrEnum):
    """A kind of personal data closing erases."""

    PROFILE = "profile"
    CONTACT_DETAILS = "contact_details"
    NATIONAL_ID = "national_id"
    PASSWORD = "password"  # noqa: S105 - the name of a kind of data, not a password
    SESSIONS = "sessions"
    SECOND_FACTOR = "second_factor"
    CONSENTS = "consents"
    REGISTRATIONS = "registrations"
    LOGIN_THROTTLES = "login_throttles"
    ONE_TIME_CODES = "one_time_codes"
    FEEDBACK = "feedback"
    ACCESS_RIGHTS = "access_rights"
    INVITATIONS = "invitations"


class KeptRecord(enum.StrEnum):
    """A kind of record the operator must keep after the account is closed."""

    INVOICES = "invoices"
    ORDERS = "orders"


ERASED_TEXTS: Final[Mapping[ErasedData, LocalizedText]] = MappingProxyType(
    {
        ErasedData.PROFILE: LocalizedText(
            en="Your name and the language you chose.",
            fi="Nimesi ja valitsemasi kieli.",
            sv="Ditt namn och det språk du valt.",
            nb="Navnet ditt og språket du valgte.",
        ),
        ErasedData.CONTACT_DETAILS: LocalizedText(
            en="Your e-mail address, phone number and postal address.",
            fi="Sähköpostiosoitteesi, puhelinnumerosi ja postiosoitteesi.",
            sv="Din e-postadress, ditt telefonnummer och din postadress.",
            nb="E-postadressen, telefonnummeret og postadressen din.",
        ),
        ErasedData.NATIONAL_ID: LocalizedText(
            en="Your personal identity code.",
            fi="Henkilötunnuksesi.",
            sv="Din personbeteckning.",
            nb="Fødselsnummeret ditt.",
        ),
        ErasedData.PASSWORD: LocalizedText(
            en="Your password and any pending links for it.",
            fi="Salasanasi ja sen avoimet linkit.",
            sv="Ditt lösenord och väntande länkar för det.",
            nb="Passordet ditt og ventende lenker for det.",
        ),
        ErasedData.SESSIONS: LocalizedText(
            en="Every login session: you are logged out everywhere.",
            fi="Kaikki kirjautumisistunnot: sinut kirjataan ulos kaikkialta.",
            sv="Alla inloggningssessioner: du loggas ut överallt.",
            nb="Alle innloggingsøkter: du logges ut overalt.",
        ),
        ErasedData.SECOND_FACTOR: LocalizedText(
            en="Your second factor (authenticator app) and its recovery codes.",
            fi="Toinen tunnistautumistekijäsi (todennussovellus) ja sen varakoodit.",
            sv="Din andra faktor (autentiseringsapp) och dess reservkoder.",
            nb="Den andre faktoren din (autentiseringsapp) og reservekodene.",
        ),
        ErasedData.CONSENTS: LocalizedText(
            en="The record of the terms of use you accepted.",
            fi="Tieto hyväksymistäsi käyttöehdoista.",
            sv="Uppgiften om vilka användarvillkor du godkänt.",
            nb="Opplysningen om hvilke bruksvilkår du godtok.",
        ),
        ErasedData.REGISTRATIONS: LocalizedText(
            en="Your registrations to the e-services.",
            fi="Rekisteröitymisesi sähköisiin palveluihin.",
            sv="Dina registreringar till e-tjänsterna.",
            nb="Registreringene dine til de elektroniske tjenestene.",
        ),
        ErasedData.LOGIN_THROTTLES: LocalizedText(
            en="The counts of failed logins to your account.",
            fi="Tilisi epäonnistuneiden kirjautumisten laskurit.",
            sv="Räknarna för misslyckade inloggningar till ditt konto.",
            nb="Tellerne for mislykkede innlogginger til kontoen din.",
        ),
        ErasedData.ONE_TIME_CODES: LocalizedText(
            en="One-time codes sent to your phone.",
            fi="Puhelimeesi lähetetyt kertakäyttökoodit.",
            sv="Engångskoder som skickats till din telefon.",
            nb="Engangskoder sendt til telefonen din.",
        ),
        ErasedData.FEEDBACK: LocalizedText(
            en="Feedback you sent to customer service.",
            fi="Asiakaspalveluun lähettämäsi palaute.",
            sv="Respons du skickat till kundtjänst.",
            nb="Tilbakemeldinger du sendte til kundeservice.",
        ),
        ErasedData.ACCESS_RIGHTS: LocalizedText(
            en="Your access to customer relationships ends.",
            fi="Käyttöoikeutesi asiakkuuksiin päättyvät.",
            sv="Din behörighet till kundförhållanden upphör.",
            nb="Tilgangen din til kundeforhold opphører.",
        ),
        ErasedData.INVITATIONS: LocalizedText(
            en="Names, addresses and messages in invitations you sent or received; "
            "invitations you sent that are still open are withdrawn.",
            fi="Lähettämiesi ja saamiesi kutsujen nimet, osoitteet ja viestit; "
            "lähettämäsi avoimet kutsut perutaan.",
            sv="Namn, adresser och meddelanden i inbjudningar du skickat eller fått; "
            "öppna inbjudningar du skickat återkallas.",
            nb="Navn, adresser og meldinger i invitasjoner du sendte eller fikk; "
            "åpne invitasjoner du sendte trekkes tilbake.",
        ),
    }
)


KEPT_TEXTS: Final[Mapping[KeptRecord, LocalizedText]] = MappingProxyType(
    {
        KeptRecord.INVOICES: LocalizedText(
            en="Invoices of the customer relationship (accounting vouchers).",
            fi="Asiakkuuden laskut (kirjanpidon tositteita).",
            sv="Kundförhållandets fakturor (verifikationer i bokföringen).",
            nb="Kundeforholdets fakturaer (regnskapsbilag).",
        ),
        KeptRecord.ORDERS: LocalizedText(
            en="Orders you placed, which the invoices bill (without your name or address).",
            fi="Tekemäsi tilaukset, joita laskut koskevat (ilman nimeäsi tai osoitettasi).",
            sv="Beställningar du gjort som fakturorna gäller (utan ditt namn eller din adress).",
            nb="Bestillinger du gjorde som fakturaene gjelder (uten navn eller adresse).",
        ),
    }
)
