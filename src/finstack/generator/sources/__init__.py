"""One module per source system. Each exposes ``simulate(world)``, which adds
world tables, and registers its raw tables (``RawTable``) at import.

Order matters: later sources read world tables of earlier ones (Stripe reads the
app's card deposits, Segment's server source reads the app's ledger)."""

from finstack.generator.sources import (
    app_mysql,
    facebook_ads,
    google_ads,
    helpscout,
    hubspot,
    linkedin_ads,
    segment,
    stripe,
)

SOURCES = [app_mysql, stripe, hubspot, helpscout, google_ads, facebook_ads, linkedin_ads, segment]
