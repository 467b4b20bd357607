"""Segment warehouse sources: ``segment_web``, ``segment_ios``, ``segment_android``, ``segment_server``.

The world is simulated in numpy as ``seg_events``: one row per delivered copy of
a Segment message (page, screen, track or identify), with numeric columns only
(message index, source, kind, event code, session, device, identified user,
current page, campaign context, the four clocks and two event-specific
properties). The raw tables are DuckDB projections of that frame: message ids,
URLs, user agents and every ``context_*`` column are built in SQL, by joining
the small device, user, campaign and product frames.

Timestamps follow event-analytics §1: ``original_timestamp`` and ``sent_at``
carry the device clock (skewed on 2% of devices), ``received_at`` is Segment's
clock, and ``timestamp = received_at - (sent_at - original_timestamp)`` is the
true time plus network latency, except for the uncorrectable-skew rows.
Rows land (``_arrival_at``) at ``received_at``, so a ``--next-day`` delivery
brings late mobile batches and re-delivered duplicates for earlier days.

GDPR erasure: identified rows of users whose full erasure completed are deleted
by Segment 1-30 days later. Append tables cannot lose rows on a later delivery,
so rows whose deletion falls before the end date are never delivered; those
deleted during the ``--next-day`` horizon stay (as if deleted after the export).
"""

from __future__ import annotations

from typing import ClassVar

import duckdb
import numpy as np
import pandas as pd

from finstack.generator.config import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    Defect,
    defect_count,
    register_defects,
)
from finstack.generator.tables import RawTable, cols, register
from finstack.generator.world import (
    APPCUES_FLOWS,
    CH,
    EV,
    EXPERIMENTS,
    IDENTIFY,
    MOBILE_SCREENS,
    NEVER,
    PAGE,
    SCREEN,
    TRACK,
    WEB_PAGES,
    World,
)

WEB, IOS, ANDROID, SERVER = 0, 1, 2, 3
SCHEMAS = ["segment_web", "segment_ios", "segment_android", "segment_server"]

# fractions of the window (start .. end date) at which the product changed
MIGRATION_FRAC = 0.40  # user_id switches from the numeric users.id to public_id
SDK_UPGRADE_FRAC = 0.60  # analytics-ios/-android -> analytics-swift/-kotlin, consent columns
INVESTED_RENAME_FRAC = 0.30  # iOS sent "Invested" before this
LEGACY_SDK_EXTRA_US = 21 * US_PER_DAY  # legacy devices keep the numeric user id this long
TERM_CONTENT_DAYS = 90  # utm_term / utm_content only on links from this day on
SIGNED_UP_SLUG_BUILD = (0.10, 0.50)  # the Android build that sends "signed_up"

# event-name variants
V_NORMAL, V_INVESTED, V_SNAKE = 0, 1, 2

# bot kinds: (user agent, data-centre IP prefix)
BOTS = [
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249.66."),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "157.55.39."),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "54.36.148."),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/120.0.6099.109 Safari/537.36",
        "34.141.22.",
    ),
    ("python-requests/2.31.0", "18.130.44."),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "3.120.81."),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "31.13.103."),
    ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", "69.162.124."),
]
BOT_CRAWLERS, BOT_PREVIEW, BOT_UPTIME = [0, 1, 2, 3, 4], [5, 6], 7

WEB_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
]
PAGE_NAMES = [
    "Home",
    "Invest",
    "Product",
    "Product",
    "Product",
    "Product",
    "Sign Up",
    "KYC",
    "Deposit",
    "Dashboard",
    "Settings",
    "Help",
    "Blog",
    "Blog",
    "Referrals",
    "Investment",
]
PAGE_OF = {path: i for i, (path, _) in enumerate(WEB_PAGES)}
QA_DEVICE_IDS = [
    "QA-DEVICE-0001",
    "QA-DEVICE-0002",
    "QA-DEVICE-0003",
    "QA-DEVICE-0004",
    "QA-DEVICE-0005",
]
ZERO_AD_ID = "00000000-0000-0000-0000-000000000000"
LOCALES = {
    "GB": ("en-GB", "Europe/London"),
    "IE": ("en-IE", "Europe/Dublin"),
    "DE": ("de-DE", "Europe/Berlin"),
    "FR": ("fr-FR", "Europe/Paris"),
    "ES": ("es-ES", "Europe/Madrid"),
}
CURRENCIES = ["GBP", "EUR", "USD"]
METHODS = ["card", "bank_transfer", "open_banking"]

register_defects(
    Defect(
        "segment_ties",
        "segment",
        "web track with the identical timestamp of its page",
        0.01,
        "web tracks",
    ),
    Defect(
        "segment_double_tap",
        "segment",
        "client sends investment_placed twice, 300 ms apart (new id)",
        0.003,
        "investment_placed events",
    ),
    Defect(
        "segment_url_truncated",
        "segment",
        "landing URL over 512 characters cut by the loader mid-parameter",
        0.002,
        "tagged hits",
    ),
    Defect(
        "segment_legacy_user_id",
        "segment",
        "user_id is the numeric users.id (before the migration; legacy SDKs 3 weeks longer)",
        MIGRATION_FRAC,
        "identified events",
    ),
    Defect(
        "segment_invested_rename",
        "segment",
        "iOS sends 'Invested' (table invested) before the rename",
        INVESTED_RENAME_FRAC,
        "iOS investment events",
    ),
)


# ---------------------------------------------------------------------------
# simulation
# ---------------------------------------------------------------------------


def _slug(name: str) -> str:
    return name.lower().replace(" ", "_")


def _uuid_strings(rng: np.random.Generator, n: int) -> np.ndarray:
    """n random version-4 UUID strings, vectorised."""
    if n == 0:
        return np.array([], dtype=object)
    b = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    b[:, 6] = (b[:, 6] & 0x0F) | 0x40
    b[:, 8] = (b[:, 8] & 0x3F) | 0x80
    hx = np.frombuffer(b.tobytes().hex().encode("ascii"), dtype="S1").reshape(n, 32)
    dash = np.full((n, 1), b"-", dtype="S1")
    parts = [hx[:, :8], dash, hx[:, 8:12], dash, hx[:, 12:16], dash, hx[:, 16:20], dash, hx[:, 20:]]
    return np.ascontiguousarray(np.concatenate(parts, axis=1)).view("S36").ravel().astype(str)


def _segments_first(keys: np.ndarray) -> np.ndarray:
    """For sorted keys: True on the first row of each run."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _ffill_idx(flag: np.ndarray) -> np.ndarray:
    """Index of the latest row at or before each row where ``flag`` is set (-1 if none)."""
    idx = np.where(flag, np.arange(len(flag)), -1)
    return np.maximum.accumulate(idx) if len(idx) else idx


class _Rows:
    """Column-wise accumulator of event rows (numpy arrays), concatenated once."""

    FIELDS: ClassVar[dict[str, type]] = {
        "src": np.int8,
        "kind": np.int8,
        "ev": np.int8,
        "variant": np.int8,
        "session_idx": np.int64,
        "device_idx": np.int64,
        "bot_idx": np.int32,
        "user_person_idx": np.int64,
        "t_us": np.int64,
        "p1": np.int64,
        "p2": np.int64,
        "page": np.int16,
        "order": np.int8,
    }

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, n: int, **kw) -> None:
        part = {}
        for name, dtype in self.FIELDS.items():
            v = kw.get(name, -1 if name not in ("variant", "order") else 0)
            part[name] = np.broadcast_to(np.asarray(v), (n,)).astype(dtype)
        self.parts.append(part)

    def frame(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate([p[k] for p in self.parts]) for k in self.FIELDS}


def _params(world: World) -> dict[str, int]:
    win = world.window
    span = win.end_us - win.start_us
    return {
        "migration_us": win.start_us + int(MIGRATION_FRAC * span),
        "sdk_upgrade_us": win.start_us + int(SDK_UPGRADE_FRAC * span),
        "rename_us": win.start_us + int(INVESTED_RENAME_FRAC * span),
        "term_from_us": win.start_us + TERM_CONTENT_DAYS * US_PER_DAY,
        "snake_from_us": win.start_us + int(SIGNED_UP_SLUG_BUILD[0] * span),
        "snake_to_us": win.start_us + int(SIGNED_UP_SLUG_BUILD[1] * span),
        "start_us": win.start_us,
        "end_us": win.end_us,
    }


def _app_frames(world: World) -> dict[str, pd.DataFrame]:
    """The app frames Segment reads, or empty stand-ins with the same columns."""

    def get(name: str, columns: list[str]) -> pd.DataFrame:
        if name in world.frames:
            return world[name]
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in columns})

    return {
        "txn": get(
            "app_transactions",
            [
                "txn_idx",
                "person_idx",
                "app_user_id",
                "type",
                "status",
                "amount_minor",
                "currency",
                "method",
                "requested_us",
                "completed_us",
            ],
        ),
        "inv": get(
            "app_investments",
            [
                "investment_idx",
                "person_idx",
                "app_user_id",
                "product_idx",
                "principal_minor",
                "currency",
                "placed_us",
                "activated_us",
            ],
        ),
        "era": get(
            "app_erasures",
            ["person_idx", "app_user_id", "requested_us", "completed_us", "scope", "status"],
        ),
        "acc": get("app_accounts", ["account_idx", "person_idx", "account_type", "currency"]),
        "prod": get("app_products", ["product_idx", "code", "product_type", "annual_rate_bps"]),
    }


def _small_frames(world: World, app: dict[str, pd.DataFrame]) -> None:
    """Products, transactions, investments and email campaigns as Segment needs them."""
    prod = app["prod"]
    if len(prod):
        products = pd.DataFrame(
            {
                "product_idx": prod.product_idx.astype("int64"),
                "code": prod.code.astype(str),
                "product_type": prod.product_type.astype(str),
                "annual_rate_bps": prod.annual_rate_bps.astype("int64"),
            }
        )
    else:  # the app module did not run: a stand-in catalogue
        products = pd.DataFrame(
            {
                "product_idx": np.arange(1, 5, dtype=np.int64),
                "code": ["lending-pool-a", "lending-pool-c", "fixed-note-12m", "easy-access-cash"],
                "product_type": [
                    "p2p_loan_pool",
                    "p2p_loan_pool",
                    "fixed_term_note",
                    "cash_easy_access",
                ],
                "annual_rate_bps": np.array([650, 890, 720, 410], dtype=np.int64),
            }
        )
    world.add("seg_products", products)

    txn = app["txn"]
    keep = txn.type.isin(["deposit", "withdrawal"]) if len(txn) else np.zeros(0, dtype=bool)
    t = txn.loc[keep]
    acc = app["acc"]
    account = np.full(len(t), NEVER, dtype=np.int64)
    if len(acc) and len(t):
        cash = acc.loc[acc.account_type == "cash"].sort_values("account_idx")
        cash = cash.drop_duplicates(["person_idx", "currency"])
        m = t[["person_idx", "currency"]].merge(
            cash[["person_idx", "currency", "account_idx"]],
            how="left",
            on=["person_idx", "currency"],
        )
        account = m.account_idx.fillna(NEVER).astype(np.int64).to_numpy()
    world.add(
        "seg_txn",
        pd.DataFrame(
            {
                "txn_idx": t.txn_idx.astype("int64").to_numpy(),
                "amount_minor": t.amount_minor.astype("int64").to_numpy(),
                "currency": t.currency.astype(str).to_numpy(),
                "method": t.method.astype(object).to_numpy(),
                "account_idx": account,
            }
        ),
    )
    inv = app["inv"]
    world.add(
        "seg_investments",
        pd.DataFrame(
            {
                "investment_idx": inv.investment_idx.astype("int64").to_numpy(),
                "product_idx": inv.product_idx.astype("int64").to_numpy(),
                "principal_minor": inv.principal_minor.astype("int64").to_numpy(),
                "currency": inv.currency.astype(str).to_numpy(),
            }
        ),
    )
    if "hs_email_campaigns" in world.frames:
        hs = world["hs_email_campaigns"]
        email = pd.DataFrame(
            {
                "email_campaign_idx": hs.email_campaign_idx.astype("int64").to_numpy(),
                "campaign_id": hs.campaign_id.astype("int64").to_numpy(),
                "utm_campaign": hs.utm_campaign.astype(str).to_numpy(),
                "first_send_us": hs.first_send_us.astype("int64").to_numpy(),
            }
        )
    else:  # HubSpot runs after us or not at all: a weekly newsletter stand-in
        win = world.window
        starts = np.arange(win.start_us - 7 * US_PER_DAY, win.horizon_us, 7 * US_PER_DAY)
        email = pd.DataFrame(
            {
                "email_campaign_idx": np.arange(len(starts), dtype=np.int64),
                "campaign_id": 9_000_000 + np.arange(len(starts), dtype=np.int64),
                "utm_campaign": [f"newsletter-{i + 1:03d}" for i in range(len(starts))],
                "first_send_us": starts.astype(np.int64),
            }
        )
    world.add("seg_email_campaigns", email.sort_values("first_send_us").reset_index(drop=True))


def _device_frame(world: World) -> pd.DataFrame:
    """Per device: the strings Segment sends (ids, IP, locale), computed once."""
    rng = world.rng("segment.devices")
    devices, people = world["devices"], world["people"]
    n = len(devices)
    person = devices.person_idx.to_numpy()
    plat = devices.platform.to_numpy()
    internal = people.is_internal.to_numpy()[person]
    country = people.country_code.to_numpy()[person]
    anon = _uuid_strings(rng, n)
    dev_id = _uuid_strings(rng, n)
    ad_id = _uuid_strings(rng, n)
    mobile = plat > 0
    qa = devices.qa_device.to_numpy() & mobile
    dev_id = np.where(qa, np.array(QA_DEVICE_IDS)[devices.device_idx.to_numpy() % 5], dev_id)
    zero = devices.zeroed_ad_id.to_numpy()
    ad_id = np.where(zero, ZERO_AD_ID, ad_id)
    octet = devices.ip_octets.to_numpy().astype(np.int64)
    block = devices.ip_block.to_numpy().astype(np.int64)
    last = rng.integers(1, 254, size=n)
    ip = (
        pd.Series(np.where(mobile, "92.40.", "86."))
        + pd.Series(block).astype(str)
        + "."
        + pd.Series(octet).astype(str)
        + "."
        + pd.Series(last).astype(str)
    )
    # staff use the office network on the web
    office = "81.2.69." + pd.Series(octet % 254 + 1).astype(str)
    ip = np.where(internal & (plat == 0), office.to_numpy(), ip.to_numpy())
    loc = pd.Series(country).map({k: v[0] for k, v in LOCALES.items()}).fillna("en-GB")
    tz = pd.Series(country).map({k: v[1] for k, v in LOCALES.items()}).fillna("Europe/London")
    return pd.DataFrame(
        {
            "device_idx": devices.device_idx.to_numpy(),
            "platform": plat,
            "anonymous_id": anon,
            "device_id": np.where(mobile, dev_id, None),
            "advertising_id": np.where(mobile, ad_id, None),
            "ad_tracking": mobile & ~zero,
            "os_minor": devices.os_minor.to_numpy(),
            "model_idx": devices.model_idx.to_numpy(),
            "ua_idx": devices.ua_idx.to_numpy(),
            "ip": ip,
            "locale": loc.to_numpy(),
            "timezone": tz.to_numpy(),
        }
    )


def simulate(world: World) -> None:
    """Add ``seg_events`` and the small frames the Segment raw tables read."""
    rng = world.rng("segment")
    win, sc = world.window, world.scale
    prm = _params(world)
    app = _app_frames(world)
    _small_frames(world, app)
    world.add("seg_devices", _device_frame(world))

    people, devices, sessions = world["people"], world["devices"], world["sessions"]
    n_people = len(people)
    is_user = people.is_user.to_numpy()
    signup = people.signup_us.to_numpy()
    first_visit = people.first_visit_us.to_numpy()
    dev_plat = devices.platform.to_numpy()
    dev_person = devices.person_idx.to_numpy()
    first_dev = np.full(n_people, NEVER, dtype=np.int64)
    o0 = devices.ordinal.to_numpy() == 0
    first_dev[dev_person[o0]] = devices.device_idx.to_numpy()[o0]

    s_dev = sessions.device_idx.to_numpy()
    s_person = sessions.person_idx.to_numpy()
    s_start = sessions.start_us.to_numpy()
    s_anchor = sessions.anchor.to_numpy()
    s_plat = sessions.platform.to_numpy()
    s_chan = sessions.channel.to_numpy()
    s_ad = sessions.ad_idx.to_numpy()
    ns = len(sessions)
    sess_of = np.full((5, n_people), NEVER, dtype=np.int64)  # anchor sessions 0..4 by person
    for a in range(5):
        rows = np.flatnonzero(s_anchor == a)
        sess_of[a, s_person[rows]] = rows
    same_session_signup = is_user & (signup - first_visit <= 25 * US_PER_MINUTE)
    signup_sess = np.where(same_session_signup, sess_of[0], sess_of[1])
    signup_sess[~is_user] = NEVER
    is_signup_sess = np.zeros(ns, dtype=bool)
    is_signup_sess[signup_sess[signup_sess >= 0]] = True
    tagged = (s_ad >= 0) | np.isin(s_chan, [CH["email"], CH["affiliate"], CH["referral_programme"]])

    # first investment per person: the {id} of /investments/{id} and Investment Placed
    inv = app["inv"]
    first_inv = np.full(n_people, NEVER, dtype=np.int64)
    if len(inv):
        fi = inv.sort_values(["placed_us", "investment_idx"]).drop_duplicates("person_idx")
        fi = fi.loc[fi.person_idx >= 0]
        first_inv[fi.person_idx.to_numpy()] = fi.investment_idx.to_numpy()

    R = _Rows()

    # --- regular client events of each session --------------------------------
    # sized so that demo gives ~1M and large ~10M messages with the lifecycle extras
    lam = max(0.3, 0.65 * sc.events_per_session - 1.0)
    k = 1 + rng.poisson(lam, size=ns)
    sid = np.repeat(np.arange(ns), k)
    first = np.cumsum(k) - k
    pos = np.arange(len(sid)) - np.repeat(first, k)
    gap = np.minimum(
        rng.exponential(50.0, size=len(sid)) * US_PER_SECOND, 20 * US_PER_MINUTE - 1
    ).astype(np.int64)
    gap[pos == 0] = 0
    cs = np.cumsum(gap)
    t = s_start[sid] + cs - np.repeat(cs[first], k)
    plat = s_plat[sid]
    u = rng.random(len(sid))
    kind = np.where(
        plat == 0,
        np.where((pos == 0) | (u < 0.7), PAGE, TRACK),
        np.where(pos == 0, TRACK, np.where(u < 0.6, SCREEN, TRACK)),
    )
    post = is_user[s_person] & (s_start >= signup[s_person])
    ev = np.where(
        post[sid] & (rng.random(len(sid)) < 0.08), EV["Referral Link Shared"], EV["Product Viewed"]
    )
    ev = np.where(kind == TRACK, ev, -1)
    ev = np.where((plat > 0) & (pos == 0), EV["Application Opened"], ev)
    page = np.where(
        plat == 0,
        rng.choice(len(WEB_PAGES), size=len(sid), p=_page_weights()),
        rng.integers(0, len(MOBILE_SCREENS), size=len(sid)),
    )
    # the web landing page depends on the channel / ad
    landing_page = _landing_pages(world, rng, sessions)
    page = np.where((plat == 0) & (pos == 0), landing_page[sid], page)
    page = np.where((kind == PAGE) | (kind == SCREEN), page, -1)
    p1 = np.where(ev == EV["Product Viewed"], rng.integers(0, 1 << 30, size=len(sid)), -1)
    R.add(
        len(sid),
        src=plat,
        kind=kind,
        ev=ev,
        session_idx=sid,
        device_idx=s_dev[sid],
        t_us=t,
        page=page,
        p1=p1,
        order=np.where(pos == 0, 2, 3),
    )
    last_t = t[first + k - 1]

    # --- mobile lifecycle ------------------------------------------------------
    mob = np.flatnonzero(s_plat > 0)
    R.add(
        len(mob),
        src=s_plat[mob],
        kind=TRACK,
        ev=EV["Application Backgrounded"],
        session_idx=mob,
        device_idx=s_dev[mob],
        t_us=last_t[mob] + rng.integers(2, 30, size=len(mob)) * US_PER_SECOND,
        order=5,
    )
    dev_first_sess = _segments_first(s_dev)
    inst = np.flatnonzero(dev_first_sess & (s_plat > 0))
    R.add(
        len(inst),
        src=s_plat[inst],
        kind=TRACK,
        ev=EV["Application Installed"],
        session_idx=inst,
        device_idx=s_dev[inst],
        t_us=s_start[inst] - 2 * US_PER_SECOND,
        order=0,
    )
    after = (s_plat > 0) & (s_start >= prm["sdk_upgrade_us"])
    prev_dev_before = np.zeros(ns, dtype=bool)
    prev_dev_before[1:] = (s_dev[1:] == s_dev[:-1]) & (s_start[:-1] < prm["sdk_upgrade_us"])
    upd = np.flatnonzero(after & prev_dev_before)
    R.add(
        len(upd),
        src=s_plat[upd],
        kind=TRACK,
        ev=EV["Application Updated"],
        session_idx=upd,
        device_idx=s_dev[upd],
        t_us=s_start[upd] - US_PER_SECOND,
        order=1,
    )
    dl = np.flatnonzero((s_plat == IOS) & tagged)
    R.add(
        len(dl),
        src=IOS,
        kind=TRACK,
        ev=EV["Deep Link Opened"],
        session_idx=dl,
        device_idx=s_dev[dl],
        t_us=s_start[dl] - US_PER_SECOND // 2,
        order=1,
    )

    # --- identifies and Logged In ------------------------------------------------
    post_any = post | is_signup_sess
    pidx = np.flatnonzero(post_any)
    prev_same = np.zeros(len(pidx), dtype=bool)
    if len(pidx) > 1:
        prev_same[1:] = (s_dev[pidx][1:] == s_dev[pidx][:-1]) & (
            s_person[pidx][1:] == s_person[pidx][:-1]
        )
    need = np.zeros(ns, dtype=bool)
    need[pidx] = ~prev_same
    need &= ~is_signup_sess
    again = post & ~is_signup_sess & ~need & (rng.random(ns) < 0.30)
    ident = np.flatnonzero(need | again)
    early = rng.random(len(ident)) < 0.5
    t_id = np.where(
        early,
        s_start[ident] - US_PER_SECOND,
        s_start[ident] + rng.integers(5, 90, size=len(ident)) * US_PER_SECOND,
    )
    R.add(
        len(ident),
        src=s_plat[ident],
        kind=IDENTIFY,
        session_idx=ident,
        device_idx=s_dev[ident],
        user_person_idx=s_person[ident],
        t_us=t_id,
        order=1,
    )
    li = np.flatnonzero(need[ident])
    R.add(
        len(li),
        src=s_plat[ident[li]],
        kind=TRACK,
        ev=EV["Logged In"],
        session_idx=ident[li],
        device_idx=s_dev[ident[li]],
        t_us=t_id[li] + US_PER_SECOND,
        order=4,
    )

    # --- lifecycle anchors -------------------------------------------------------
    def anchor(sess_for_person: np.ndarray, t_for_person: np.ndarray, mask=None):
        ok = (sess_for_person >= 0) & (t_for_person >= 0)
        if mask is not None:
            ok &= mask
        who = np.flatnonzero(ok)
        return who, sess_for_person[who], t_for_person[who]

    who, ss, ts = anchor(signup_sess, signup)
    sp = s_plat[ss]
    snake = (
        (sp == ANDROID)
        & (ts >= prm["snake_from_us"])
        & (ts < prm["snake_to_us"])
        & (devices.ua_idx.to_numpy()[s_dev[ss]] % 2 == 0)
    )
    R.add(
        len(who),
        src=sp,
        kind=TRACK,
        ev=EV["Signed Up"],
        variant=np.where(snake, V_SNAKE, 0),
        session_idx=ss,
        device_idx=s_dev[ss],
        t_us=ts,
        p1=who,
        order=4,
    )
    R.add(
        len(who),
        src=sp,
        kind=IDENTIFY,
        session_idx=ss,
        device_idx=s_dev[ss],
        user_person_idx=who,
        t_us=ts + US_PER_SECOND,
        order=4,
    )
    # Appcues welcome tour in the sign-up session
    done = people.onboarding_completed.to_numpy()[who]
    n_steps = APPCUES_FLOWS[0][4]
    t0 = ts + 20 * US_PER_SECOND
    R.add(
        len(who),
        src=sp,
        kind=TRACK,
        ev=EV["flow_started"],
        session_idx=ss,
        device_idx=s_dev[ss],
        t_us=t0,
        p1=0,
        p2=0,
        order=4,
    )
    for step in range(1, n_steps + 1):  # a 3-step catalogue, not rows
        m = done | (step == 1)
        R.add(
            int(m.sum()),
            src=sp[m],
            kind=TRACK,
            ev=EV["step_started"],
            session_idx=ss[m],
            device_idx=s_dev[ss][m],
            t_us=t0[m] + step * 15 * US_PER_SECOND,
            p1=0,
            p2=step,
            order=4,
        )
        R.add(
            int(m.sum()),
            src=sp[m],
            kind=TRACK,
            ev=np.where(done[m], EV["step_completed"], EV["step_skipped"]),
            session_idx=ss[m],
            device_idx=s_dev[ss][m],
            t_us=t0[m] + step * 15 * US_PER_SECOND + 7 * US_PER_SECOND,
            p1=0,
            p2=step,
            order=4,
        )
    R.add(
        len(who),
        src=sp,
        kind=TRACK,
        ev=np.where(done, EV["flow_completed"], EV["flow_skipped"]),
        session_idx=ss,
        device_idx=s_dev[ss],
        t_us=t0 + (n_steps + 1) * 15 * US_PER_SECOND,
        p1=0,
        p2=0,
        order=4,
    )
    # Taplytics onboarding experiment (mobile sign-ups inside the experiment)
    m = people.in_onboarding_experiment.to_numpy()[who] & (sp > 0)
    R.add(
        int(m.sum()),
        src=sp[m],
        kind=TRACK,
        ev=EV["Experiment Viewed"],
        session_idx=ss[m],
        device_idx=s_dev[ss][m],
        t_us=ts[m] + 10 * US_PER_SECOND,
        p1=0,
        p2=people.exp_variant.to_numpy()[who[m]],
        order=4,
    )

    who, ss, ts = anchor(sess_of[2], people.kyc_submitted_us.to_numpy())
    R.add(
        len(who),
        src=s_plat[ss],
        kind=TRACK,
        ev=EV["KYC Submitted"],
        session_idx=ss,
        device_idx=s_dev[ss],
        t_us=ts,
        order=4,
    )

    fd = people.first_deposit_us.to_numpy()
    who, ss, ts = anchor(sess_of[3], np.where(fd >= 0, fd - US_PER_MINUTE, NEVER))
    amount, cur_method = _first_deposits(rng, app["txn"], n_people)
    R.add(
        len(who),
        src=s_plat[ss],
        kind=TRACK,
        ev=EV["Deposit Initiated"],
        session_idx=ss,
        device_idx=s_dev[ss],
        t_us=ts,
        p1=amount[who],
        p2=cur_method[who],
        order=4,
    )
    _, e_start, e_end = EXPERIMENTS[1][0], EXPERIMENTS[1][3], EXPERIMENTS[1][4]
    hspan = win.horizon_us - win.start_us
    m = (
        (s_plat[ss] > 0)
        & (ts >= win.start_us + e_start * hspan)
        & (ts < win.start_us + e_end * hspan)
    )
    R.add(
        int(m.sum()),
        src=s_plat[ss][m],
        kind=TRACK,
        ev=EV["Experiment Viewed"],
        session_idx=ss[m],
        device_idx=s_dev[ss][m],
        t_us=ts[m] - 30 * US_PER_SECOND,
        p1=1,
        p2=people.exp_variant.to_numpy()[who[m]],
        order=4,
    )

    fi_t = people.first_investment_us.to_numpy()
    who, ss, ts = anchor(sess_of[4], np.where(fi_t >= 0, fi_t - US_PER_MINUTE, NEVER))
    sp = s_plat[ss]
    variant = np.where((sp == IOS) & (ts < prm["rename_us"]), V_INVESTED, V_NORMAL)
    R.add(
        len(who),
        src=sp,
        kind=TRACK,
        ev=EV["Investment Placed"],
        variant=variant,
        session_idx=ss,
        device_idx=s_dev[ss],
        t_us=ts,
        p1=first_inv[who],
        order=4,
    )
    # double taps: the same placement sent twice, 300 ms apart
    n_tap = defect_count("segment_double_tap", len(who)) if len(who) else 0
    tap = rng.choice(len(who), size=n_tap, replace=False)
    R.add(
        n_tap,
        src=sp[tap],
        kind=TRACK,
        ev=EV["Investment Placed"],
        variant=variant[tap],
        session_idx=ss[tap],
        device_idx=s_dev[ss][tap],
        t_us=ts[tap] + 300_000,
        p1=first_inv[who[tap]],
        order=4,
    )

    # client-side Withdrawal Requested on the user's first device (no session)
    txn = app["txn"]
    wd = txn.loc[(txn.type == "withdrawal") & (txn.person_idx >= 0)] if len(txn) else txn
    wp = wd.person_idx.to_numpy().astype(np.int64)
    wdev = first_dev[wp] if len(wp) else np.zeros(0, dtype=np.int64)
    wt = wd.requested_us.to_numpy().astype(np.int64) - 2 * US_PER_SECOND
    ok = (wdev >= 0) & (wt >= win.start_us)
    R.add(
        int(ok.sum()),
        src=dev_plat[wdev[ok]],
        kind=TRACK,
        ev=EV["Withdrawal Requested"],
        device_idx=wdev[ok],
        t_us=wt[ok],
        p1=wd.txn_idx.to_numpy()[ok],
        page=np.where(dev_plat[wdev[ok]] == 0, PAGE_OF["/dashboard"], -1),
        order=4,
    )

    client = R.frame()
    del R  # its parts are a second copy of every client event column
    client = _fill_client(client, first_inv, landing_page, world, rng)

    # --- bots (web) ------------------------------------------------------------------
    n_human_pages = int(((client["src"] == WEB) & (client["kind"] == PAGE)).sum())
    bots = _bots(world, rng, n_human_pages)

    # --- server events ---------------------------------------------------------------
    server = _server_events(world, rng, app, first_dev)

    for part in (client, bots):
        part["retry"] = np.zeros(len(part["t_us"]), dtype=bool)
    ev_all = {k: np.concatenate([client[k], bots[k], server[k]]) for k in client}
    # the parts are copied into ev_all: free them (at `large` each copy is ~1.5 GB)
    del client, bots, server
    ev_all = _context(world, rng, ev_all, sessions, tagged)
    ev_all = _clocks(world, rng, ev_all, prm)
    ev_all = _erase(world, rng, ev_all, app["era"])
    frame = _duplicates(world, rng, ev_all)  # consumes (empties) ev_all
    world.add("seg_events", frame)
    params = pd.DataFrame({k: [v] for k, v in prm.items()})
    params["msg_prefix"] = f"{world.seed}:segmsg:"
    world.add("seg_params", params)
    world.add("seg_landing", _landing_strings(world, frame))


def _landing_strings(world: World, frame: pd.DataFrame) -> pd.DataFrame:
    """Query string, referrer and decoded UTMs of every landing message, built once in DuckDB
    (the raw tables join this small frame instead of rebuilding the strings per table)."""
    from finstack.generator.deliver import install_macros

    # direct visits carry no campaign, query string or referrer: leave them out
    land = frame.loc[
        (frame["copy"] == 0)
        & frame["landing"]
        & (frame["src"] != SERVER)
        & (frame["channel"] != CH["direct"]),
        [
            "event_idx",
            "session_idx",
            "landing",
            "ad_idx",
            "channel",
            "utm_variant",
            "email_campaign_idx",
            "long_url",
            "t_us",
        ],
    ]
    con = duckdb.connect()
    try:
        install_macros(con, world.seed)
        con.execute("CREATE SCHEMA _world")
        for name, df in (
            ("ads", world["ads"]),
            ("campaigns", world["campaigns"]),
            ("seg_email_campaigns", world["seg_email_campaigns"]),
            ("seg_params", world["seg_params"]),
            ("land", land),
        ):
            con.register(f"_df_{name}", df)
            con.execute(f"CREATE VIEW _world.{name} AS SELECT * FROM _df_{name}")
        sql = _campaign_sql("SELECT * FROM _world.land")
        return con.execute(
            f"SELECT event_idx, q, referrer, cs, cm, cn, cterm, ccontent FROM ({sql}) "
            "ORDER BY event_idx"
        ).df()
    finally:
        con.close()


def _page_weights() -> np.ndarray:
    w = np.array([6, 8, 5, 4, 4, 4, 2, 1, 3, 10, 2, 2, 2, 2, 2, 4], dtype=float)
    return w / w.sum()


def _landing_pages(world: World, rng: np.random.Generator, sessions: pd.DataFrame) -> np.ndarray:
    """The landing page (WEB_PAGES index) of every session."""
    ads = world["ads"]
    ns = len(sessions)
    chan = sessions.channel.to_numpy()
    ad = sessions.ad_idx.to_numpy()
    choices = {
        CH["direct"]: ["/", "/dashboard", "/dashboard", "/invest"],
        CH["email"]: ["/invest", "/products/fixed-note-12m", "/products/lending-pool-a", "/"],
        CH["organic_search"]: [
            "/",
            "/blog/how-p2p-lending-works",
            "/blog/isa-allowance-explained",
            "/products/easy-access-cash",
        ],
        CH["organic_social"]: ["/", "/blog/how-p2p-lending-works", "/invest"],
        CH["referral"]: ["/blog/how-p2p-lending-works", "/", "/products/lending-pool-a"],
        CH["referral_programme"]: ["/signup", "/"],
        CH["affiliate"]: ["/", "/products/fixed-note-12m", "/products/easy-access-cash"],
    }
    out = np.full(ns, PAGE_OF["/"], dtype=np.int64)
    for ch, paths in choices.items():  # a handful of channels
        rows = np.flatnonzero(chan == ch)
        idx = np.array([PAGE_OF[p] for p in paths])
        out[rows] = idx[rng.integers(0, len(idx), size=len(rows))]
    land = np.array([PAGE_OF[p] for p in ads.landing_path])
    has_ad = ad >= 0
    out[has_ad] = land[ad[has_ad]]
    return out


def _first_deposits(rng: np.random.Generator, txn: pd.DataFrame, n_people: int):
    """Amount (minor) and currency*10+method of each person's first deposit."""
    amount = np.round(rng.lognormal(np.log(100_000), 1.0, size=n_people)).astype(np.int64)
    cm = np.zeros(n_people, dtype=np.int64)
    if len(txn):
        d = txn.loc[(txn.type == "deposit") & (txn.person_idx >= 0)]
        d = d.sort_values(["requested_us", "txn_idx"]).drop_duplicates("person_idx")
        p = d.person_idx.to_numpy()
        amount[p] = d.amount_minor.to_numpy()
        cur = pd.Series(d.currency.to_numpy()).map({c: i for i, c in enumerate(CURRENCIES)})
        met = pd.Series(d.method.to_numpy()).map({m: i for i, m in enumerate(METHODS)})
        cm[p] = cur.fillna(0).to_numpy().astype(np.int64) * 10 + met.fillna(0).to_numpy().astype(
            np.int64
        )
    return amount, cm


def _fill_client(
    c: dict, first_inv: np.ndarray, landing_page: np.ndarray, world: World, rng: np.random.Generator
) -> dict:
    """Current page, landing flag and the identified user of every client event."""
    n = len(c["t_us"])
    # current web page: the latest page of the session at or before the event
    o = np.lexsort((c["order"], c["t_us"], c["session_idx"]))
    for key in c:
        c[key] = c[key][o]
    sess = c["session_idx"]
    is_page = c["kind"] == PAGE
    last = _ffill_idx(is_page)
    same = (last >= 0) & (sess[np.maximum(last, 0)] == sess) & (sess >= 0)
    web = c["src"] == WEB
    page_rows = np.flatnonzero(is_page)
    cur = np.where(same, c["page"][np.maximum(last, 0)], -1)
    cur = np.where(web & (cur < 0) & (sess >= 0), landing_page[np.maximum(sess, 0)], cur)
    cur = np.where(web & (cur < 0), c["page"], cur)
    # landing: the current page is the session's first page view (or none yet)
    sess_first_page = np.full(len(landing_page), -1, dtype=np.int64)
    fp = page_rows[_segments_first(sess[page_rows])] if len(page_rows) else page_rows
    sess_first_page[sess[fp]] = fp
    landing = web & (sess >= 0) & (~same | (last == sess_first_page[np.maximum(sess, 0)]))
    c["page"] = np.where(web, cur, c["page"]).astype(np.int16)
    c["landing"] = landing
    # ties: 1% of web tracks get the exact time of their page
    tr = np.flatnonzero(web & (c["kind"] == TRACK) & same)
    n_tie = defect_count("segment_ties", len(tr)) if len(tr) else 0
    tie = rng.choice(tr, size=n_tie, replace=False)
    c["t_us"][tie] = c["t_us"][last[tie]]
    c["tie"] = np.zeros(n, dtype=bool)
    c["tie"][tie] = True
    # /investments/{id}: the user's first investment, else the dashboard
    people_first_inv = first_inv
    person = world["sessions"].person_idx.to_numpy()[np.maximum(sess, 0)]
    item = np.where(sess >= 0, people_first_inv[person], -1)
    inv_page = web & (c["page"] == PAGE_OF["/investments/{id}"])
    c["page"][inv_page & (item < 0)] = PAGE_OF["/dashboard"]
    c["page_item"] = np.where(inv_page & (item >= 0), item, -1).astype(np.int64)

    # identified user: the latest identify on the device at or before the event
    o = np.lexsort((c["order"], c["t_us"], c["device_idx"]))
    for key in c:
        c[key] = c[key][o]
    dev = c["device_idx"]
    is_id = c["kind"] == IDENTIFY
    last = _ffill_idx(is_id)
    ok = (last >= 0) & (dev[np.maximum(last, 0)] == dev)
    c["user_person_idx"] = np.where(
        is_id, c["user_person_idx"], np.where(ok, c["user_person_idx"][np.maximum(last, 0)], -1)
    )
    return c


def _bots(world: World, rng: np.random.Generator, n_human_pages: int) -> dict:
    """Crawler, link-preview and uptime-monitor page views (never identified)."""
    win = world.window
    rate = 0.06
    total = max(
        defect_count("segment_bot_pageviews", n_human_pages),
        round(n_human_pages * rate / (1 - rate)),
    )
    n_up = min(2 * 24 * 60, int(total * 0.3))
    n_prev = int(total * 0.15)
    n_crawl = max(0, total - n_up - n_prev)
    R = _Rows()
    # uptime monitor: one anonymous id, "/" every minute for ~2 days
    up0 = win.start_us + int(0.5 * (win.end_us - win.start_us))
    R.add(
        n_up,
        src=WEB,
        kind=PAGE,
        bot_idx=0,
        p2=BOT_UPTIME,
        t_us=up0
        + np.arange(n_up, dtype=np.int64) * US_PER_MINUTE
        + rng.integers(0, 2 * US_PER_SECOND, size=n_up),
        page=PAGE_OF["/"],
    )
    # crawlers: visits of 1-30 pages, a few seconds apart
    visits = []
    left = n_crawl
    while left > 0:  # a few chunks: sizes drawn in bulk
        size = np.minimum(1 + rng.geometric(0.08, size=max(1, left // 10)), 30)
        visits.append(size)
        left -= int(size.sum())
    size = np.concatenate(visits) if visits else np.zeros(0, dtype=np.int64)
    csum = np.cumsum(size)
    size = size[: np.searchsorted(csum, n_crawl) + 1] if len(size) else size
    if len(size):
        size[-1] -= int(size.sum()) - n_crawl
        size = size[size > 0]
    nv = len(size)
    vstart = rng.integers(win.start_us, win.horizon_us - US_PER_HOUR, size=nv)
    vkind = np.array(BOT_CRAWLERS)[rng.integers(0, len(BOT_CRAWLERS), size=nv)]
    v = np.repeat(np.arange(nv), size)
    vpos = np.arange(len(v)) - np.repeat(np.cumsum(size) - size, size)
    R.add(
        len(v),
        src=WEB,
        kind=PAGE,
        bot_idx=1 + v,
        p2=vkind[v],
        t_us=vstart[v] + vpos * rng.integers(2, 10, size=len(v)) * US_PER_SECOND,
        page=rng.integers(0, len(WEB_PAGES) - 1, size=len(v)),
    )
    # link previews of UTM-tagged ad URLs (one hit each)
    ads = world["ads"]
    tagged_ads = np.flatnonzero(ads.has_utms.to_numpy())
    pad = tagged_ads[rng.integers(0, len(tagged_ads), size=n_prev)]
    land = np.array([PAGE_OF[p] for p in ads.landing_path])
    R.add(
        n_prev,
        src=WEB,
        kind=PAGE,
        bot_idx=1 + nv + np.arange(n_prev),
        p2=np.array(BOT_PREVIEW)[rng.integers(0, 2, size=n_prev)],
        t_us=rng.integers(win.start_us, win.horizon_us - US_PER_HOUR, size=n_prev),
        page=land[pad],
        p1=pad,
    )
    b = R.frame()
    n = len(b["t_us"])
    b["landing"] = b["p1"] >= 0
    b["tie"] = np.zeros(n, dtype=bool)
    b["page_item"] = np.full(n, -1, dtype=np.int64)
    return b


def _server_events(world: World, rng: np.random.Generator, app: dict, first_dev: np.ndarray):
    """segment_server: tracks and identifies sent by the backend (user_id only)."""
    win = world.window
    people = world["people"]
    is_user = people.is_user.to_numpy()
    signup = people.signup_us.to_numpy()
    R = _Rows()
    who = np.flatnonzero(is_user & (signup >= win.start_us))
    # the app records the sign-up just before the client tracks it; it passes the anonymous id
    R.add(
        len(who),
        src=SERVER,
        kind=TRACK,
        ev=EV["Signed Up"],
        device_idx=first_dev[who],
        user_person_idx=who,
        t_us=signup[who] - 200_000,
        p1=who,
    )
    R.add(len(who), src=SERVER, kind=IDENTIFY, user_person_idx=who, t_us=signup[who] + 50_000)
    ka = people.kyc_approved_us.to_numpy()
    who = np.flatnonzero(ka >= win.start_us)
    R.add(
        len(who),
        src=SERVER,
        kind=TRACK,
        ev=EV["KYC Approved"],
        user_person_idx=who,
        t_us=ka[who],
        p1=who,
    )
    R.add(len(who), src=SERVER, kind=IDENTIFY, user_person_idx=who, t_us=ka[who] + 20_000)
    txn, inv = app["txn"], app["inv"]
    n_retry_pool = []
    if len(txn):
        d = txn.loc[
            (txn.type == "deposit") & (txn.completed_us >= win.start_us) & (txn.person_idx >= 0)
        ]
        R.add(
            len(d),
            src=SERVER,
            kind=TRACK,
            ev=EV["Deposit Completed"],
            user_person_idx=d.person_idx.to_numpy(),
            t_us=d.completed_us.to_numpy(),
            p1=d.txn_idx.to_numpy(),
        )
        n_retry_pool.append(
            (
                "dep",
                d.person_idx.to_numpy(),
                d.completed_us.to_numpy(),
                d.txn_idx.to_numpy(),
                EV["Deposit Completed"],
            )
        )
        w = txn.loc[
            (txn.type == "withdrawal") & (txn.requested_us >= win.start_us) & (txn.person_idx >= 0)
        ]
        R.add(
            len(w),
            src=SERVER,
            kind=TRACK,
            ev=EV["Withdrawal Requested"],
            user_person_idx=w.person_idx.to_numpy(),
            t_us=w.requested_us.to_numpy(),
            p1=w.txn_idx.to_numpy(),
        )
    if len(inv):
        a = inv.loc[(inv.activated_us >= win.start_us) & (inv.person_idx >= 0)]
        R.add(
            len(a),
            src=SERVER,
            kind=TRACK,
            ev=EV["Investment Confirmed"],
            user_person_idx=a.person_idx.to_numpy(),
            t_us=a.activated_us.to_numpy(),
            p1=a.investment_idx.to_numpy(),
        )
        n_retry_pool.append(
            (
                "inv",
                a.person_idx.to_numpy(),
                a.activated_us.to_numpy(),
                a.investment_idx.to_numpy(),
                EV["Investment Confirmed"],
            )
        )
    base = R.frame()
    n_server = len(base["t_us"])
    # semantic duplicates: retries with a new id and the same business key
    if n_retry_pool:
        person = np.concatenate([p[1] for p in n_retry_pool])
        tt = np.concatenate([p[2] for p in n_retry_pool])
        key = np.concatenate([p[3] for p in n_retry_pool])
        evc = np.concatenate([np.full(len(p[1]), p[4]) for p in n_retry_pool])
        if len(person):
            n_retry = min(len(person), defect_count("segment_semantic_duplicates", n_server))
            pick = rng.choice(len(person), size=n_retry, replace=False)
            R.add(
                n_retry,
                src=SERVER,
                kind=TRACK,
                ev=evc[pick],
                user_person_idx=person[pick],
                t_us=tt[pick],
                p1=key[pick],
                order=1,
            )
    s = R.frame()
    n = len(s["t_us"])
    s["retry"] = np.zeros(n, dtype=bool)
    s["retry"][n_server:] = True
    s["landing"] = np.zeros(n, dtype=bool)
    s["tie"] = np.zeros(n, dtype=bool)
    s["page_item"] = np.full(n, -1, dtype=np.int64)
    return s


def _context(
    world: World, rng: np.random.Generator, e: dict, sessions: pd.DataFrame, tagged: np.ndarray
) -> dict:
    """Campaign context of landing rows: channel, ad, UTM variant, email campaign, long URL."""
    n = len(e["t_us"])
    for k in ("retry",):
        if k not in e:
            e[k] = np.zeros(n, dtype=bool)
    sess = e["session_idx"]
    has = sess >= 0
    si = np.maximum(sess, 0)
    chan = np.where(has, sessions.channel.to_numpy()[si], -1)
    ad = np.where(has, sessions.ad_idx.to_numpy()[si], -1)
    var = np.where(has, sessions.utm_variant.to_numpy()[si], 0)
    bot_prev = (e["bot_idx"] >= 0) & (e["p1"] >= 0)
    ad = np.where(bot_prev, e["p1"], ad)
    camp = world["campaigns"]
    ad_chan = np.where(
        camp.platform.to_numpy() == "google",
        CH["paid_search"],
        np.where(
            camp.platform.to_numpy() == "facebook",
            CH["paid_social_facebook"],
            CH["paid_social_linkedin"],
        ),
    )
    ads_c = world["ads"].campaign_idx.to_numpy()
    chan = np.where(bot_prev, ad_chan[ads_c[np.maximum(ad, 0)]], chan)
    # the campaign context travels on the landing page URL (web) or the deep link (mobile)
    mob_link = (
        (e["src"] > 0)
        & (e["src"] < SERVER)
        & np.isin(e["ev"], [EV["Application Opened"], EV["Deep Link Opened"]])
        & has
        & tagged[si]
    )
    carry = e["landing"] | mob_link
    e["landing"] = carry
    # the latest HubSpot email campaign sent before the session
    em = world["seg_email_campaigns"]
    sends = em.first_send_us.to_numpy()
    start = np.where(has, sessions.start_us.to_numpy()[si], e["t_us"])
    ei = np.searchsorted(sends, start, side="right") - 1
    email_idx = np.where(
        carry & (chan == CH["email"]) & (ei >= 0),
        em.email_campaign_idx.to_numpy()[np.maximum(ei, 0)],
        -1,
    )
    e["channel"] = np.where(carry, chan, -1).astype(np.int8)
    e["ad_idx"] = np.where(carry, ad, -1).astype(np.int16)
    e["utm_variant"] = np.where(carry, var, 0).astype(np.int8)
    e["email_campaign_idx"] = email_idx.astype(np.int32)
    # a few landing URLs over 512 characters, cut by the loader
    tagged_rows = np.flatnonzero(
        carry
        & (e["src"] == WEB)
        & ((e["ad_idx"] >= 0) | np.isin(e["channel"], [CH["email"], CH["affiliate"]]))
    )
    n_long = defect_count("segment_url_truncated", len(tagged_rows)) if len(tagged_rows) else 0
    e["long_url"] = np.zeros(n, dtype=bool)
    e["long_url"][rng.choice(tagged_rows, size=n_long, replace=False)] = True
    return e


def _clocks(world: World, rng: np.random.Generator, e: dict, prm: dict) -> dict:
    """original_timestamp, sent_at and received_at of every message."""
    n = len(e["t_us"])
    t = e["t_us"]
    src = e["src"]
    dev = e["device_idx"]
    devices = world["devices"]
    skew = np.where(
        (dev >= 0) & (src != SERVER), devices.clock_skew_us.to_numpy()[np.maximum(dev, 0)], 0
    )
    sent = t.copy()
    web, mob, srv = src == WEB, (src == IOS) | (src == ANDROID), src == SERVER
    sent[web] += rng.integers(50_000, 3 * US_PER_SECOND, size=int(web.sum()))
    sent[mob] += rng.integers(100_000, 30 * US_PER_SECOND, size=int(mob.sum()))
    sent[srv] += rng.integers(5_000, 200_000, size=int(srv.sum()))
    # mobile offline batches: whole sessions sent long after their last event
    mob_rows = np.flatnonzero(mob & (e["session_idx"] >= 0))
    sess = e["session_idx"][mob_rows]
    useq, inv, cnt = np.unique(sess, return_inverse=True, return_counts=True)
    n_mob = int(mob.sum())
    target_1h = defect_count("segment_late_1h", n_mob)
    target_3d = defect_count("segment_late_3d", n_mob)
    order = rng.permutation(len(useq))
    csum = np.cumsum(cnt[order])
    off = order[: np.searchsorted(csum, target_1h) + 1]
    far = order[: np.searchsorted(csum, target_3d) + 1]
    delay = np.zeros(len(useq), dtype=np.int64)
    delay[off] = np.exp(
        rng.uniform(np.log(1.05 * US_PER_HOUR), np.log(2.9 * US_PER_DAY), size=len(off))
    ).astype(np.int64)
    delay[far] = np.exp(
        rng.uniform(np.log(3.1 * US_PER_DAY), np.log(30 * US_PER_DAY), size=len(far))
    ).astype(np.int64)
    s_end = np.full(len(useq), np.iinfo(np.int64).min)
    np.maximum.at(s_end, inv, t[mob_rows])
    late = delay[inv] > 0
    sent[mob_rows[late]] = s_end[inv][late] + delay[inv][late]
    # server replay after a 4-hour outage at 70% of the window
    o0 = prm["start_us"] + int(0.7 * (prm["end_us"] - prm["start_us"]))
    out = srv & (t >= o0) & (t < o0 + 4 * US_PER_HOUR)
    sent[out] = o0 + 4 * US_PER_HOUR + rng.integers(0, 30 * US_PER_MINUTE, size=int(out.sum()))
    sent = np.maximum(sent, t)
    latency = np.where(
        srv,
        rng.integers(2_000, 60_000, size=n),
        np.where(
            web, rng.integers(30_000, 400_000, size=n), rng.integers(80_000, 1_500_000, size=n)
        ),
    )
    recv = sent + latency
    orig = t + skew
    sent_at = sent + skew
    # uncorrectable skew: the clock changed between capture and send
    client_rows = np.flatnonzero(~srv)
    n_bad = defect_count("segment_uncorrectable_skew", len(client_rows))
    bad = rng.choice(client_rows, size=n_bad, replace=False)
    future = rng.random(n_bad) < 0.5
    orig[bad[future]] += 365 * US_PER_DAY + rng.integers(0, 3 * US_PER_DAY, size=int(future.sum()))
    orig[bad[~future]] = rng.integers(0, 2 * US_PER_DAY, size=int((~future).sum()))
    e["orig_us"] = orig
    e["sent_us"] = sent_at
    e["recv_us"] = recv
    e["suspect"] = np.zeros(n, dtype=bool)
    e["suspect"][bad] = True
    # user_id form: numeric before the migration, longer on legacy SDKs
    legacy = np.where(dev >= 0, devices.legacy_sdk.to_numpy()[np.maximum(dev, 0)], False)
    mig = prm["migration_us"]
    e["uid_numeric"] = (t < mig) | (legacy & ~srv & (t < mig + LEGACY_SDK_EXTRA_US))
    return e


def _erase(world: World, rng: np.random.Generator, e: dict, era: pd.DataFrame) -> dict:
    """Drop identified rows of fully erased users whose deletion ran before the end date."""
    if not len(era):
        return e
    full = era.loc[(era.scope == "full") & (era.status == "completed") & (era.completed_us >= 0)]
    deleted_at = full.completed_us.to_numpy() + rng.integers(1, 31, size=len(full)) * US_PER_DAY
    gone = full.person_idx.to_numpy()[deleted_at < world.window.end_us]
    drop = np.isin(e["user_person_idx"], gone) & (e["user_person_idx"] >= 0)
    return {k: v[~drop] for k, v in e.items()}


def _duplicates(world: World, rng: np.random.Generator, e: dict) -> pd.DataFrame:
    """Number the messages and add exact re-deliveries (same id, later received_at).

    Consumes ``e``: its columns are popped one at a time as the output columns are built,
    so at most one extra column is alive at once (this is the generator's memory peak)."""
    n = len(e["t_us"])
    # numbered and stored by (source, kind, event): every raw table reads one contiguous
    # range, so DuckDB's zone maps skip the rest of the frame
    o = np.lexsort((e["order"], e["t_us"], e["variant"], e["ev"], e["kind"], e["src"]))
    n_dup = defect_count("segment_exact_duplicates", n)
    n_late = min(n_dup, defect_count("segment_duplicates_late", n))
    dup = rng.choice(n, size=n_dup, replace=False)
    shift = np.exp(rng.uniform(np.log(US_PER_MINUTE), np.log(23 * US_PER_HOUR), size=n_dup)).astype(
        np.int64
    )
    shift[:n_late] = rng.integers(2 * US_PER_DAY, 10 * US_PER_DAY, size=n_late)
    # Output rows, as drawn: every message (event_idx 0..n-1) then the copies of ``dup``;
    # stored ordered by (event_idx, copy). Instead of materialising the numbered, the
    # concatenated and the re-ordered frame, each column is gathered once through
    # ``row`` (output row -> row of ``e``).
    idx = np.concatenate([np.arange(n, dtype=np.int64), dup.astype(np.int64)])
    copy = np.concatenate([np.zeros(n, dtype=np.int8), np.ones(n_dup, dtype=np.int8)])
    add = np.concatenate([np.zeros(n, dtype=np.int64), shift])
    # drawn before the rows are ordered, so each row gets the same draw as it always did
    uuid_lag = rng.integers(US_PER_MINUTE, 15 * US_PER_MINUTE, size=len(copy))
    order = np.lexsort((copy, idx))
    idx, copy, add, uuid_lag = idx[order], copy[order], add[order], uuid_lag[order]
    row = o[idx]
    del o, order
    out = {"event_idx": idx, "copy": copy}
    dtypes = {
        "session_idx": np.int32,
        "device_idx": np.int32,
        "user_person_idx": np.int32,
        "page_item": np.int32,
    }
    for k in list(e):
        v = e.pop(k)
        if k in _EVENT_COLUMNS:
            out[k] = v[row].astype(dtypes.get(k, v.dtype), copy=False)
        del v
    out["sent_us"] += add  # a resend: the same offset to original_timestamp
    out["recv_us"] += add
    out["uuid_us"] = out["recv_us"] + uuid_lag
    # copy=False: the columns are fresh arrays, no need for pandas to copy them again
    return pd.DataFrame({k: out.pop(k) for k in _EVENT_COLUMNS}, copy=False)


# columns of the seg_events world table, in order
_EVENT_COLUMNS = [
    "event_idx",
    "copy",
    "src",
    "kind",
    "ev",
    "variant",
    "session_idx",
    "device_idx",
    "bot_idx",
    "user_person_idx",
    "uid_numeric",
    "page",
    "page_item",
    "landing",
    "channel",
    "ad_idx",
    "utm_variant",
    "email_campaign_idx",
    "long_url",
    "p1",
    "p2",
    "orig_us",
    "sent_us",
    "recv_us",
    "uuid_us",
    "t_us",
    "tie",
    "retry",
    "suspect",
]


# ---------------------------------------------------------------------------
# raw tables (SQL projections of seg_events)
# ---------------------------------------------------------------------------


def _lst(values) -> str:
    """A DuckDB list literal of strings (1-based indexing in SQL)."""
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _mix(x: str, salt: int, m: int) -> str:
    """A cheap deterministic pseudo-random integer in [0, m) from an integer expression."""
    return f"((({x}) * 2654435761 + {salt * 40503}) % 1000003 % {m})"


# message id: md5 of (seed, message index) as a UUID. md5_number -> UUID is about a third
# of the cost of formatting md5 text with substr (uuid_of), on the largest tables.
ID = "CAST(CAST(md5_number(p.msg_prefix || CAST(e.event_idx AS VARCHAR)) AS UUID) AS VARCHAR)"
SITE = "https://www.finstack.co.uk"
PATH = (
    f"CASE WHEN e.page_item >= 0 THEN '/investments/' || CAST(e.page_item AS VARCHAR) "
    f"ELSE {_lst(p for p, _ in WEB_PAGES)}[e.page + 1] END"
)

COMMON_COLS = (
    "id, anonymous_id, user_id, timestamp:ts, original_timestamp:ts, sent_at:ts, "
    "received_at:ts, uuid_ts:ts, context_library_name, context_library_version"
)
CLIENT_COLS = (
    "context_ip, context_locale, context_timezone, "
    "context_consent_category_preferences_analytics:bool, "
    "context_consent_category_preferences_advertising:bool, "
    "context_consent_category_preferences_functional:bool"
)
WEB_COLS = (
    "context_user_agent, context_page_url, context_page_path, context_page_referrer, "
    "context_page_search, context_page_title, context_campaign_source, "
    "context_campaign_medium, context_campaign_name, context_campaign_term, "
    "context_campaign_content"
)
MOBILE_COLS = (
    "context_app_name, context_app_version, context_app_build, context_app_namespace, "
    "context_device_id, context_device_advertising_id, context_device_manufacturer, "
    "context_device_model, context_device_type, context_os_name, context_os_version, "
    "context_network_carrier, context_device_ad_tracking_enabled:bool, "
    "context_network_wifi:bool, context_network_cellular:bool, "
    "context_screen_width:int, context_screen_height:int, context_screen_density:float"
)
TRAIT_COLS = (
    "email, first_name, country_code, kyc_status, signup_platform, "
    "marketing_opt_in:bool, created_at:ts"
)

IOS_MODELS = ["iPhone14,2", "iPhone14,5", "iPhone15,2", "iPhone15,3", "iPhone16,1", "iPad13,1"]
ANDROID_MODELS = ["SM-S911B", "SM-A546B", "Pixel 7", "Pixel 8 Pro", "CPH2449", "SM-G991B"]
ANDROID_MAKERS = ["samsung", "samsung", "Google", "Google", "OnePlus", "samsung"]
WIDTHS = [390, 390, 393, 430, 393, 820]
HEIGHTS = [844, 844, 852, 932, 852, 1180]
CARRIERS = ["EE", "Vodafone UK", "O2 - UK", "Three", "giffgaff"]


# Timestamps use make_timestamptz(µs) rather than the ts_of macro: ts_of casts a naive
# TIMESTAMP to TIMESTAMPTZ, ~0.5 µs a row, which dominates these multi-million-row tables.


def _common_sql(src: int) -> str:
    lib = {
        WEB: (
            "'analytics.js'",
            "CASE WHEN e.t_us < p.sdk_upgrade_us THEN '4.15.3' ELSE '5.2.1' END",
        ),
        IOS: (
            "CASE WHEN e.t_us < p.sdk_upgrade_us THEN 'analytics-ios' ELSE 'analytics-swift' END",
            "CASE WHEN e.t_us < p.sdk_upgrade_us THEN '4.1.8' ELSE '1.5.11' END",
        ),
        ANDROID: (
            "CASE WHEN e.t_us < p.sdk_upgrade_us THEN 'analytics-android' "
            "ELSE 'analytics-kotlin' END",
            "CASE WHEN e.t_us < p.sdk_upgrade_us THEN '4.11.3' ELSE '1.14.2' END",
        ),
        SERVER: ("'analytics-node'", "'6.2.0'"),
    }[src]
    return f"""
        {ID} AS id,
        CASE WHEN e.bot_idx >= 0 THEN uuid_of('segbot', e.bot_idx) ELSE d.anonymous_id END
            AS anonymous_id,
        CASE WHEN e.user_person_idx < 0 THEN NULL
             WHEN e.uid_numeric THEN CAST(u.app_user_id AS VARCHAR) ELSE u.public_id END AS user_id,
        make_timestamptz(e.recv_us - (e.sent_us - e.orig_us)) AS "timestamp",
        make_timestamptz(e.orig_us) AS original_timestamp,
        make_timestamptz(e.sent_us) AS sent_at,
        make_timestamptz(e.recv_us) AS received_at,
        make_timestamptz(e.uuid_us) AS uuid_ts,
        {lib[0]} AS context_library_name,
        {lib[1]} AS context_library_version"""


def _client_sql() -> str:
    bot_ip = _lst(b[1] for b in BOTS)
    consent = "e.t_us >= p.sdk_upgrade_us AND e.bot_idx < 0"
    return f"""
        CASE WHEN e.bot_idx >= 0 THEN {bot_ip}[e.p2 + 1] || CAST({_mix("e.bot_idx", 1, 250)} + 1
             AS VARCHAR) ELSE d.ip END AS context_ip,
        CASE WHEN e.bot_idx >= 0 THEN 'en-US' ELSE d.locale END AS context_locale,
        CASE WHEN e.bot_idx >= 0 THEN 'UTC' ELSE d.timezone END AS context_timezone,
        CASE WHEN {consent} THEN {_mix("e.device_idx", 2, 100)} < 88 END
            AS context_consent_category_preferences_analytics,
        CASE WHEN {consent} THEN {_mix("e.device_idx", 3, 100)} < 55 END
            AS context_consent_category_preferences_advertising,
        CASE WHEN {consent} THEN TRUE END AS context_consent_category_preferences_functional"""


def _campaign_sql(inner: str) -> str:
    """Adds q (query string), referrer and the decoded campaign values to landing rows."""
    affiliates = _lst(["topcashback", "moneysavingexpert", "quidco"])
    hk = "CASE WHEN e.session_idx >= 0 THEN e.session_idx ELSE e.event_idx + 1000000000 END"
    level_a = f"""
        SELECT e.*, hk,
            CASE WHEN NOT e.landing THEN NULL
                 WHEN e.ad_idx >= 0 AND a.has_utms THEN 'ad'
                 WHEN e.ad_idx >= 0 THEN 'gclid'
                 WHEN e.channel = {CH["email"]} THEN 'email'
                 WHEN e.channel = {CH["affiliate"]} THEN 'affiliate'
                 WHEN e.channel = {CH["referral_programme"]} THEN 'refprog'
                 WHEN e.channel = {CH["organic_social"]} THEN 'osocial'
                 WHEN e.channel = {CH["organic_search"]} THEN 'osearch'
                 WHEN e.channel = {CH["referral"]} THEN 'referral' END AS tk,
            CASE WHEN e.ad_idx >= 0 THEN c.utm_source WHEN e.channel = {CH["email"]} THEN 'hubspot'
                 WHEN e.channel = {CH["affiliate"]} THEN {affiliates}[{_mix("hk", 4, 3)} + 1]
                 ELSE 'referral' END AS bs,
            CASE WHEN e.ad_idx >= 0 THEN c.utm_medium WHEN e.channel = {CH["email"]} THEN 'email'
                 WHEN e.channel = {CH["affiliate"]} THEN 'affiliate'
                 ELSE 'referral_programme' END AS bm,
            CASE WHEN e.ad_idx >= 0 THEN c.utm_campaign
                 WHEN e.channel = {CH["email"]} THEN m.utm_campaign
                 WHEN e.channel = {CH["affiliate"]} THEN 'partner offers'
                 ELSE 'refer a friend' END AS bc,
            c.platform AS cp, c.channel_type AS ct_, a.utm_content AS acontent,
            m.campaign_id AS mcid, e.t_us >= p.term_from_us AND e.ad_idx >= 0 AS with_tc
        FROM (SELECT e.*, {hk} AS hk FROM ({inner}) e) e
        LEFT JOIN _world.ads a ON a.ad_idx = e.ad_idx
        LEFT JOIN _world.campaigns c ON c.campaign_idx = a.campaign_idx
        LEFT JOIN _world.seg_email_campaigns m ON m.email_campaign_idx = e.email_campaign_idx
        CROSS JOIN _world.seg_params p"""
    v = "e.utm_variant"
    level_b = f"""
        SELECT e.*,
            CASE WHEN {v} = 3 THEN CASE WHEN e.bs = 'facebook' THEN ['Facebook', 'fb'][e.hk % 2 + 1]
                                        ELSE upper(left(e.bs, 1)) || substr(e.bs, 2) END
                 WHEN {v} = 4 THEN e.bs || '%20' ELSE e.bs END AS s_enc,
            CASE WHEN {v} = 3 THEN CASE WHEN e.bs = 'facebook' THEN ['Facebook', 'fb'][e.hk % 2 + 1]
                                        ELSE upper(left(e.bs, 1)) || substr(e.bs, 2) END
                 WHEN {v} = 4 THEN e.bs || ' ' ELSE e.bs END AS s_dec,
            CASE WHEN {v} = 1 THEN replace(e.bc, ' ', '+')
                 WHEN {v} = 2 THEN replace(e.bc, ' ', '%2520')
                 WHEN {v} = 4 THEN replace(e.bc, ' ', '%20') || '%20'
                 WHEN {v} = 5 THEN replace(upper(left(e.bc, 1)) || substr(e.bc, 2), ' ', '%20')
                 ELSE replace(e.bc, ' ', '%20') END AS c_enc,
            CASE WHEN {v} = 1 THEN replace(e.bc, ' ', '+')
                 WHEN {v} = 2 THEN replace(e.bc, ' ', '%20')
                 WHEN {v} = 4 THEN e.bc || ' '
                 WHEN {v} = 5 THEN upper(left(e.bc, 1)) || substr(e.bc, 2)
                 ELSE e.bc END AS c_dec,
            CASE WHEN e.ad_idx < 0 THEN NULL WHEN e.cp = 'google' THEN 'gclid=Cj0KCQjw' || substr(h('gclid', e.hk), 1, 40)
                 WHEN e.cp = 'facebook' THEN 'fbclid=IwAR' || substr(h('fbclid', e.hk), 1, 44)
                 ELSE 'li_fat_id=' || uuid_of('lifat', e.hk) END AS click,
            CASE WHEN e.with_tc AND e.ct_ = 'SEARCH' THEN
                 ['p2p lending', 'best savings rates', 'isa interest', 'invest money uk']
                 [e.hk % 4 + 1] END AS kw
        FROM ({level_a}) e"""
    utm = (
        "'utm_source=' || e.s_enc || '&utm_medium=' || e.bm || '&utm_campaign=' || e.c_enc"
        " || CASE WHEN e.with_tc THEN '&utm_content=' || e.acontent"
        " || coalesce('&utm_term=' || replace(e.kw, ' ', '+'), '') ELSE '' END"
    )
    referrers = {
        "osocial": _lst(
            ["https://www.facebook.com/", "https://t.co/", "https://www.linkedin.com/"]
        ),
        "osearch": _lst(
            ["https://www.google.com/", "https://www.google.co.uk/", "https://www.bing.com/"]
        ),
        "referral": _lst(
            [
                "https://www.moneysavingexpert.com/savings/",
                "https://www.ft.com/content/p2p-lending-returns",
                "https://www.reddit.com/r/UKPersonalFinance/",
                "https://blog.financeguru.co.uk/best-p2p-platforms",
            ]
        ),
    }
    return f"""
        SELECT e.*,
            CASE WHEN e.tk IS NULL THEN NULL ELSE
              CASE e.tk
                WHEN 'ad' THEN {utm} || '&' || e.click
                WHEN 'gclid' THEN e.click
                WHEN 'email' THEN {utm} || '&_hsenc=p2ANqtz-' || substr(h('hsenc', e.hk), 1, 30)
                     || '&_hsmi=' || CAST(e.mcid * 10 + e.hk % 7 AS VARCHAR)
                WHEN 'affiliate' THEN {utm} || '&aff_id=' || CAST(e.hk % 900 + 100 AS VARCHAR)
                WHEN 'refprog' THEN 'ref=' || upper(substr(h('refcode', 1 + e.hk % 997), 1, 8))
                     || '&' || {utm}
                WHEN 'osocial' THEN CASE WHEN e.hk % 3 = 0 AND e.hk % 5 < 2 THEN
                     'fbclid=IwAR' || substr(h('fbclid', e.hk), 1, 44) END
              END
              || CASE WHEN e.long_url THEN '&_gl=1*' || repeat(substr(h('gl', e.hk), 1, 32), 16)
                      || '&utm_id=' || CAST(e.hk AS VARCHAR) ELSE '' END
            END AS q,
            CASE e.tk
                WHEN 'ad' THEN CASE e.cp WHEN 'google' THEN CASE WHEN e.ct_ = 'DISPLAY'
                    THEN 'https://www.theguardian.com/uk/money' ELSE 'https://www.google.com/' END
                    WHEN 'facebook' THEN ['https://m.facebook.com/', 'https://l.instagram.com/']
                        [e.hk % 2 + 1]
                    ELSE 'https://www.linkedin.com/' END
                WHEN 'gclid' THEN 'https://www.google.com/'
                WHEN 'email' THEN CASE WHEN e.hk % 10 < 3 THEN 'https://mail.google.com/' END
                WHEN 'affiliate' THEN 'https://www.' || e.bs || '.co.uk/'
                WHEN 'osocial' THEN {referrers["osocial"]}[e.hk % 3 + 1]
                WHEN 'osearch' THEN {referrers["osearch"]}[e.hk % 3 + 1]
                WHEN 'referral' THEN {referrers["referral"]}[e.hk % 4 + 1]
            END AS referrer,
            CASE WHEN e.tk IN ('ad', 'email', 'affiliate', 'refprog') THEN e.s_dec END AS cs,
            CASE WHEN e.tk IN ('ad', 'email', 'affiliate', 'refprog') THEN e.bm END AS cm,
            CASE WHEN e.tk IN ('ad', 'email', 'affiliate', 'refprog') THEN e.c_dec END AS cn,
            CASE WHEN e.tk = 'ad' THEN e.kw END AS cterm,
            CASE WHEN e.tk = 'ad' AND e.with_tc THEN e.acontent END AS ccontent
        FROM ({level_b}) e"""


def _web_sql() -> str:
    bot_ua = _lst(b[0] for b in BOTS)
    titles = _lst(t for _, t in WEB_PAGES)
    return f"""
        CASE WHEN e.bot_idx >= 0 THEN {bot_ua}[e.p2 + 1] ELSE {_lst(WEB_UAS)}[d.ua_idx + 1] END
            AS context_user_agent,
        left('{SITE}' || {PATH} || coalesce('?' || e.q, ''), 512) AS context_page_url,
        {PATH} AS context_page_path,
        CASE WHEN e.landing THEN left(e.referrer, 512) ELSE '{SITE}/' END AS context_page_referrer,
        left('?' || e.q, 512) AS context_page_search,
        {titles}[e.page + 1] AS context_page_title,
        e.cs AS context_campaign_source, e.cm AS context_campaign_medium,
        e.cn AS context_campaign_name, e.cterm AS context_campaign_term,
        e.ccontent AS context_campaign_content"""


def _mobile_sql(src: int) -> str:
    ios = src == IOS
    models = IOS_MODELS if ios else ANDROID_MODELS
    maker = "'Apple'" if ios else f"{_lst(ANDROID_MAKERS)}[d.model_idx + 1]"
    os_ver = (
        "CASE WHEN e.t_us < p.sdk_upgrade_us THEN '17.' ELSE '18.' END || d.os_minor"
        if ios
        else "CASE WHEN e.t_us < p.sdk_upgrade_us THEN '13' ELSE '14' END"
    )
    density = "3.0" if ios else "2.625"
    return f"""
        'Finstack' AS context_app_name,
        {_app_version()} AS context_app_version,
        {_app_build()} AS context_app_build,
        '{"co.uk.finstack.app" if ios else "uk.co.finstack.android"}' AS context_app_namespace,
        d.device_id AS context_device_id,
        d.advertising_id AS context_device_advertising_id,
        {maker} AS context_device_manufacturer,
        {_lst(models)}[d.model_idx + 1] AS context_device_model,
        '{"ios" if ios else "android"}' AS context_device_type,
        '{"iOS" if ios else "Android"}' AS context_os_name,
        {os_ver} AS context_os_version,
        {_lst(CARRIERS)}[{_mix("e.device_idx", 5, len(CARRIERS))} + 1] AS context_network_carrier,
        d.ad_tracking AS context_device_ad_tracking_enabled,
        {_mix("e.event_idx", 6, 10)} < 7 AS context_network_wifi,
        {_mix("e.event_idx", 6, 10)} >= 7 AS context_network_cellular,
        {_lst(WIDTHS)}[d.model_idx + 1]::INT AS context_screen_width,
        {_lst(HEIGHTS)}[d.model_idx + 1]::INT AS context_screen_height,
        {density} AS context_screen_density"""


def _app_version(t: str = "e.t_us") -> str:
    return (
        f"CASE WHEN {t} < p.rename_us THEN '4.1.' WHEN {t} < p.sdk_upgrade_us THEN '4.3.' "
        "ELSE '5.0.' END || CAST(d.os_minor % 3 AS VARCHAR)"
    )


def _app_build(t: str = "e.t_us") -> str:
    return (
        f"CAST(CASE WHEN {t} < p.rename_us THEN 410 WHEN {t} < p.sdk_upgrade_us THEN 430 "
        "ELSE 500 END + d.os_minor % 3 AS VARCHAR)"
    )


def _traits_sql() -> str:
    return """
        u.email AS email, u.first_name AS first_name, u.country_code AS country_code,
        CASE WHEN u.kyc_approved_us BETWEEN 0 AND e.t_us THEN 'approved'
             WHEN u.kyc_rejected_us BETWEEN 0 AND e.t_us THEN 'rejected'
             WHEN u.kyc_expired_us BETWEEN 0 AND e.t_us THEN 'expired'
             WHEN u.kyc_submitted_us BETWEEN 0 AND e.t_us THEN 'pending'
             ELSE 'not_started' END AS kyc_status,
        ['web', 'ios', 'android'][u.platform + 1] AS signup_platform,
        u.marketing_opt_in AS marketing_opt_in,
        make_timestamptz(u.signup_us) AS created_at"""


def _event_name_sql() -> str:
    names = _lst(EV)  # EV preserves the catalogue order
    return (
        f"CASE e.variant WHEN {V_INVESTED} THEN 'Invested' WHEN {V_SNAKE} THEN 'signed_up' "
        f"ELSE {names}[e.ev + 1] END"
    )


# per-event properties: (columns spec, select list, extra joins)
_FLOW = "app_flow"
PROPS: dict[str, tuple[str, str, str]] = {
    "Signed Up": (
        "method, referral_code",
        f"['email', 'email', 'google', 'apple'][{_mix('e.p1', 7, 4)} + 1] AS method, "
        "CASE WHEN pu.referred THEN upper(substr(h('refcode', 1 + "
        + _mix("e.p1", 8, 997)
        + "), 1, 8)) END AS referral_code",
        "LEFT JOIN _world.users pu ON pu.person_idx = e.p1",
    ),
    "Logged In": (
        "method",
        f"['password', 'biometric', 'biometric', 'magic_link'][{_mix('e.event_idx', 9, 4)} + 1]"
        " AS method",
        "",
    ),
    "Product Viewed": (
        "product_id, product_type, annual_rate_bps:int",
        "CAST(pr.product_idx AS VARCHAR) AS product_id, pr.product_type AS product_type, "
        "pr.annual_rate_bps AS annual_rate_bps",
        "LEFT JOIN (SELECT *, row_number() OVER (ORDER BY product_idx) - 1 AS k, "
        "count(*) OVER () AS n FROM _world.seg_products) pr ON pr.k = e.p1 % pr.n",
    ),
    "KYC Submitted": ("provider", "'onfido' AS provider", ""),
    "KYC Approved": (
        "provider, investor_category",
        "'onfido' AS provider, ['restricted', 'high_net_worth', 'sophisticated']"
        "[u.investor_category + 1] AS investor_category",
        "",
    ),
    "Deposit Initiated": (
        "amount:float, currency, method",
        f"e.p1 / 100.0 AS amount, {_lst(CURRENCIES)}[e.p2 // 10 + 1] AS currency, "
        f"{_lst(METHODS)}[e.p2 % 10 + 1] AS method",
        "",
    ),
    "Deposit Completed": (
        "transaction_id, amount_minor:int, currency, method, stripe_payment_intent_id",
        "CAST(e.p1 AS VARCHAR) AS transaction_id, x.amount_minor AS amount_minor, "
        "x.currency AS currency, x.method AS method, "
        "CASE WHEN x.method = 'card' THEN sid('pi_', 'pi', e.p1) END AS stripe_payment_intent_id",
        "LEFT JOIN _world.seg_txn x ON x.txn_idx = e.p1",
    ),
    "Investment Placed": (
        "product_id, amount:float, currency, is_auto_invest:bool",
        "CAST(iv.product_idx AS VARCHAR) AS product_id, iv.principal_minor / 100.0 AS amount, "
        f"iv.currency AS currency, {_mix('e.event_idx // 2', 10, 100)} < 8 AS is_auto_invest",
        "LEFT JOIN _world.seg_investments iv ON iv.investment_idx = e.p1",
    ),
    "Investment Confirmed": (
        "investment_id, product_id, amount_minor:int, currency",
        "CAST(e.p1 AS VARCHAR) AS investment_id, CAST(iv.product_idx AS VARCHAR) AS product_id, "
        "iv.principal_minor AS amount_minor, iv.currency AS currency",
        "LEFT JOIN _world.seg_investments iv ON iv.investment_idx = e.p1",
    ),
    "Withdrawal Requested": (
        "amount_minor:int, currency, account_id",
        "x.amount_minor AS amount_minor, x.currency AS currency, "
        "CASE WHEN x.account_idx >= 0 THEN CAST(x.account_idx AS VARCHAR) END AS account_id",
        "LEFT JOIN _world.seg_txn x ON x.txn_idx = e.p1",
    ),
    "Referral Link Shared": (
        "share_channel",
        f"['whatsapp', 'copy_link', 'email', 'sms', 'messenger'][{_mix('e.event_idx', 11, 5)} + 1]"
        " AS share_channel",
        "",
    ),
    "Experiment Viewed": (
        "experiment_id, experiment_name, variation_id, variation_name",
        f"{_lst(x[0] for x in EXPERIMENTS)}[e.p1 + 1] AS experiment_id, "
        f"{_lst(x[1] for x in EXPERIMENTS)}[e.p1 + 1] AS experiment_name, "
        "CAST(e.p2 AS VARCHAR) AS variation_id, "
        f"[{_lst(EXPERIMENTS[0][2])}, {_lst(EXPERIMENTS[1][2])}][e.p1 + 1][e.p2 + 1]"
        " AS variation_name",
        "",
    ),
    "Application Installed": (
        "version, build",
        f"{_app_version()} AS version, {_app_build()} AS build",
        "",
    ),
    "Application Opened": (
        "from_background:bool, url, version, build",
        f"{_mix('e.event_idx', 12, 10)} < 4 AS from_background, "
        "CASE WHEN e.q IS NOT NULL THEN left('"
        + SITE
        + "/app' || "
        + PATH
        + " || '?' || e.q, 512) END AS url, "
        f"{_app_version()} AS version, {_app_build()} AS build",
        "",
    ),
    "Application Updated": (
        "previous_version, previous_build, version, build",
        f"{_app_version('p.sdk_upgrade_us - 1')} AS previous_version, "
        f"{_app_build('p.sdk_upgrade_us - 1')} AS previous_build, "
        f"{_app_version()} AS version, {_app_build()} AS build",
        "",
    ),
    "Application Backgrounded": ("", "", ""),
    "Deep Link Opened": (
        "url, referring_application",
        "CASE WHEN e.q IS NOT NULL THEN left('"
        + SITE
        + "/app' || "
        + PATH
        + " || '?' || e.q, 512) END AS url, "
        "CASE e.channel WHEN " + str(CH["email"]) + " THEN 'com.google.Gmail' "
        "WHEN " + str(CH["paid_social_facebook"]) + " THEN 'com.facebook.Facebook' "
        "ELSE 'com.apple.mobilesafari' END AS referring_application",
        "",
    ),
}
for _n in (
    "flow_started",
    "flow_completed",
    "flow_skipped",
    "step_started",
    "step_completed",
    "step_skipped",
):
    PROPS[_n] = (
        "flow_id, flow_name, flow_type, flow_version:int, step_id, step_number:int",
        f"{_lst(f[0] for f in APPCUES_FLOWS)}[e.p1 + 1] AS flow_id, "
        f"{_lst(f[1] for f in APPCUES_FLOWS)}[e.p1 + 1] AS flow_name, "
        f"{_lst(f[2] for f in APPCUES_FLOWS)}[e.p1 + 1] AS flow_type, "
        f"[{', '.join(str(f[3]) for f in APPCUES_FLOWS)}][e.p1 + 1] AS flow_version, "
        f"CASE WHEN e.p2 > 0 THEN {_lst(f[0] for f in APPCUES_FLOWS)}[e.p1 + 1] || '_step_' "
        "|| CAST(e.p2 AS VARCHAR) END AS step_id, "
        "CASE WHEN e.p2 > 0 THEN e.p2 END AS step_number",
        "",
    )

CLIENT_EVENTS = [
    "Signed Up",
    "Logged In",
    "Product Viewed",
    "KYC Submitted",
    "Deposit Initiated",
    "Investment Placed",
    "Withdrawal Requested",
    "Referral Link Shared",
    "flow_started",
    "flow_completed",
    "flow_skipped",
    "step_started",
    "step_completed",
    "step_skipped",
]
MOBILE_EVENTS = [
    *CLIENT_EVENTS,
    "Experiment Viewed",
    "Application Installed",
    "Application Opened",
    "Application Updated",
    "Application Backgrounded",
]
SERVER_EVENTS = [
    "Signed Up",
    "KYC Approved",
    "Deposit Completed",
    "Investment Confirmed",
    "Withdrawal Requested",
]
SOURCE_EVENTS = {
    WEB: CLIENT_EVENTS,
    IOS: [*MOBILE_EVENTS, "Deep Link Opened"],
    ANDROID: MOBILE_EVENTS,  # Android never sends Deep Link Opened
    SERVER: SERVER_EVENTS,
}


def _context_cols(src: int) -> str:
    spec = COMMON_COLS
    if src != SERVER:
        spec += ", " + CLIENT_COLS
    if src == WEB:
        spec += ", " + WEB_COLS
    if src in (IOS, ANDROID):
        spec += ", " + MOBILE_COLS
    return spec


def _select(src: int, where: str, extra: str = "", joins: str = "") -> str:
    """The SELECT of one Segment raw table: common columns, context, ``extra`` columns."""
    inner = f"SELECT e.* FROM _world.seg_events e WHERE e.src = {src} AND {where}"
    if src != SERVER:
        inner = (
            f"SELECT e.*, l.q, l.referrer, l.cs, l.cm, l.cn, l.cterm, l.ccontent FROM ({inner}) e "
            "LEFT JOIN _world.seg_landing l ON l.event_idx = e.event_idx"
        )
    parts = [_common_sql(src)]
    if src != SERVER:
        parts.append(_client_sql())
    if src == WEB:
        parts.append(_web_sql())
    if src in (IOS, ANDROID):
        parts.append(_mobile_sql(src))
    if extra:
        parts.append(extra)
    return f"""
    SELECT {",".join(parts)},
        make_timestamptz(e.recv_us) AS _arrival_at
    FROM ({inner}) e
    LEFT JOIN _world.seg_devices d ON d.device_idx = e.device_idx
    LEFT JOIN _world.users u ON u.person_idx = e.user_person_idx
    CROSS JOIN _world.seg_params p
    {joins}"""


def _tables() -> list[RawTable]:
    out = []
    for src, schema in enumerate(SCHEMAS):
        ctx = _context_cols(src)
        track_cols = ctx + ", event, event_text"
        names = _event_name_sql()
        track_extra = f"replace(lower({names}), ' ', '_') AS event, {names} AS event_text"
        out.append(
            RawTable(
                schema=schema,
                name="tracks",
                columns=cols(track_cols),
                sql=_select(src, f"e.kind = {TRACK}", track_extra),
                description=f"{schema}: one row per track() call (any event), no properties.",
                drop_empty_columns=True,
                grain="one delivered track() message",
            )
        )
        if src == WEB:
            out.append(
                RawTable(
                    schema=schema,
                    name="pages",
                    columns=cols(ctx + ", name, url, path, referrer, search, title"),
                    sql=_select(
                        src,
                        f"e.kind = {PAGE}",
                        f"""
                    {_lst(PAGE_NAMES)}[e.page + 1] AS name,
                    left('{SITE}' || {PATH} || coalesce('?' || e.q, ''), 512) AS url,
                    {PATH} AS path,
                    CASE WHEN e.landing THEN left(e.referrer, 512) ELSE '{SITE}/' END AS referrer,
                    left('?' || e.q, 512) AS search,
                    {_lst(t for _, t in WEB_PAGES)}[e.page + 1] AS title""",
                    ),
                    description="segment_web: one row per page() call (analytics.js), bots included.",
                    drop_empty_columns=True,
                    grain="one delivered page() message",
                )
            )
        if src in (IOS, ANDROID):
            out.append(
                RawTable(
                    schema=schema,
                    name="screens",
                    columns=cols(ctx + ", name"),
                    sql=_select(
                        src, f"e.kind = {SCREEN}", f"{_lst(MOBILE_SCREENS)}[e.page + 1] AS name"
                    ),
                    description=f"{schema}: one row per screen() call.",
                    drop_empty_columns=True,
                    grain="one delivered screen() message",
                )
            )
        out.append(
            RawTable(
                schema=schema,
                name="identifies",
                columns=cols(ctx + ", " + TRAIT_COLS),
                sql=_select(src, f"e.kind = {IDENTIFY}", _traits_sql()),
                description=f"{schema}: one row per identify() call, traits as columns.",
                drop_empty_columns=True,
                grain="one delivered identify() message",
            )
        )
        if src != SERVER:  # the server source has no users table ("users absent in one source")
            ident = _select(
                src,
                f"e.kind = {IDENTIFY}",
                _traits_sql() + ", e.recv_us AS r_us, e.uuid_us AS w_us, e.event_idx AS x_idx",
            )
            out.append(
                RawTable(
                    schema=schema,
                    name="users",
                    columns=cols("id, received_at:ts, uuid_ts:ts, " + TRAIT_COLS),
                    sql=f"""
                SELECT user_id AS id, make_timestamptz(r_us) AS received_at, make_timestamptz(w_us) AS uuid_ts,
                    email, first_name, country_code, kyc_status, signup_platform,
                    marketing_opt_in, created_at, make_timestamptz(r_us) AS _arrival_at
                FROM ({ident}) i
                WHERE user_id IS NOT NULL AND r_us < epoch_us({{cutoff}})
                QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY r_us DESC, x_idx DESC) = 1
                """,
                    mode="state",
                    description=f"{schema}: one row per user_id seen in identifies, latest traits.",
                    drop_empty_columns=True,
                    grain="one row per user_id",
                    keys=["id"],
                )
            )
        for name in SOURCE_EVENTS[src]:
            spec, select, joins = PROPS[name]
            code = EV[name]
            table_cols = track_cols + (", " + spec if spec else "")
            if src == ANDROID and name == "Deposit Initiated":
                # one Android build sent the amount as a string: the column is a string
                table_cols = table_cols.replace("amount:float", "amount")
                select = select.replace(
                    "e.p1 / 100.0 AS amount", "printf('%.2f', e.p1 / 100.0) AS amount"
                )
            where = f"e.kind = {TRACK} AND e.ev = {code}"
            variants = [(_slug(name), f"{where} AND e.variant <> {V_INVESTED}")]
            if src == IOS and name == "Investment Placed":
                variants = [
                    ("investment_placed", f"{where} AND e.variant = {V_NORMAL}"),
                    ("invested", f"{where} AND e.variant = {V_INVESTED}"),
                ]
            for table_name, cond in variants:
                extra = track_extra + (", " + select if select else "")
                out.append(
                    RawTable(
                        schema=schema,
                        name=table_name,
                        columns=cols(table_cols),
                        sql=_select(src, cond, extra, joins),
                        description=f"{schema}: one row per '{name}' track() with its properties.",
                        drop_empty_columns=True,
                        grain=f"one delivered '{name}' message",
                    )
                )
    return out


register(*_tables())
