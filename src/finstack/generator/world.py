"""The one world behind every source.

People visit, some sign up and become app users, pass KYC, deposit and invest.
Each person has devices (anonymous ids) and sessions; paid sessions come from
ad campaigns. Source modules read these frames and add their own world tables;
the raw tables are then SQL projections of the world (see ``deliver``).

Everything is vectorised numpy; times are int64 microseconds since the epoch
(UTC), with -1 meaning "never". Randomness comes from ``World.rng(name)``: one
independent, seeded stream per component, so changing one component does not
reshuffle the others.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from finstack.generator.config import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    Scale,
    Window,
    defect_count,
)

NEVER = -1

# Acquisition channels of a person's first visit. The codes are stored in the
# world tables; names are what the generator's docs and the tests use.
CHANNELS = [
    "paid_search",  # 0 google search / pmax
    "paid_social_facebook",  # 1
    "paid_social_linkedin",  # 2
    "display",  # 3 google display
    "affiliate",  # 4
    "referral_programme",  # 5
    "email",  # 6 hubspot
    "organic_social",  # 7
    "organic_search",  # 8
    "referral",  # 9
    "direct",  # 10
]
CH = {name: i for i, name in enumerate(CHANNELS)}
# channel -> ad platform whose campaigns drive it
CHANNEL_PLATFORM = {
    "paid_search": "google",
    "display": "google",
    "paid_social_facebook": "facebook",
    "paid_social_linkedin": "linkedin",
}

# share of first visits by channel, for people who sign up and for those who do not
CHANNEL_MIX_USERS = np.array([0.20, 0.13, 0.05, 0.02, 0.04, 0.08, 0.06, 0.06, 0.15, 0.05, 0.16])
CHANNEL_MIX_VISITORS = np.array([0.22, 0.18, 0.05, 0.06, 0.03, 0.02, 0.04, 0.10, 0.14, 0.06, 0.10])

PLATFORMS = ["web", "ios", "android"]
SIGNUP_PLATFORM_MIX = np.array([0.55, 0.27, 0.18])
COUNTRIES = np.array(
    [
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "GB",
        "IE",
        "DE",
        "FR",
        "ES",
    ]
)

# Kinds of client event.
PAGE, SCREEN, TRACK, IDENTIFY = 0, 1, 2, 3

# Track events (the Segment event catalogue). Order is the code.
TRACK_EVENTS = [
    "Signed Up",  # 0
    "Logged In",  # 1
    "Product Viewed",  # 2
    "KYC Submitted",  # 3
    "KYC Approved",  # 4 server
    "Deposit Initiated",  # 5
    "Deposit Completed",  # 6 server
    "Investment Placed",  # 7
    "Investment Confirmed",  # 8 server
    "Withdrawal Requested",  # 9
    "Referral Link Shared",  # 10
    "flow_started",  # 11 appcues
    "flow_completed",  # 12
    "flow_skipped",  # 13
    "step_started",  # 14
    "step_completed",  # 15
    "step_skipped",  # 16
    "Experiment Viewed",  # 17 taplytics
    "Application Installed",  # 18 mobile lifecycle
    "Application Opened",  # 19
    "Application Updated",  # 20
    "Application Backgrounded",  # 21
    "Deep Link Opened",  # 22
]
EV = {name: i for i, name in enumerate(TRACK_EVENTS)}

# Web pages and mobile screens: (path or screen name, title)
WEB_PAGES = [
    ("/", "Finstack | Put your money to work"),
    ("/invest", "Invest | Finstack"),
    ("/products/lending-pool-a", "Lending Pool A | Finstack"),
    ("/products/lending-pool-c", "Lending Pool C | Finstack"),
    ("/products/fixed-note-12m", "12-month Fixed Note | Finstack"),
    ("/products/easy-access-cash", "Easy Access Cash | Finstack"),
    ("/signup", "Create your account | Finstack"),
    ("/kyc", "Verify your identity | Finstack"),
    ("/deposit", "Add money | Finstack"),
    ("/dashboard", "Dashboard | Finstack"),
    ("/account/settings", "Settings | Finstack"),
    ("/help", "Help centre | Finstack"),
    ("/blog/how-p2p-lending-works", "How P2P lending works | Finstack blog"),
    ("/blog/isa-allowance-explained", "Your ISA allowance explained | Finstack blog"),
    ("/referrals", "Invite friends | Finstack"),
    ("/investments/{id}", "Your investment | Finstack"),
]
MOBILE_SCREENS = [
    "Home",
    "Products",
    "Product Detail",
    "Sign Up",
    "KYC",
    "Deposit",
    "Portfolio",
    "Investment Detail",
    "Settings",
    "Help",
    "Referrals",
]

EXPERIMENTS = [
    # id, name, variations, start day fraction, end day fraction, effect of the variant on deposit odds
    ("exp_onboarding_v2", "Onboarding carousel v2", ("control", "carousel_v2"), 0.15, 0.85, 1.25),
    ("exp_deposit_cta", "Deposit button copy", ("control", "add_money_now"), 0.30, 1.00, 1.0),
]
APPCUES_FLOWS = [
    ("flow_welcome_tour", "Welcome tour", "onboarding", 3, 3),
    ("flow_first_deposit", "Make your first deposit", "checklist", 2, 4),
]


def _seed_of(seed: int, name: str) -> list[int]:
    return [seed, zlib.crc32(name.encode())]


@dataclass
class World:
    seed: int
    scale: Scale
    window: Window
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def rng(self, name: str) -> np.random.Generator:
        return np.random.default_rng(_seed_of(self.seed, name))

    def add(self, name: str, frame: pd.DataFrame) -> None:
        if name in self.frames:
            raise ValueError(f"world table {name} defined twice")
        self.frames[name] = frame

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]


def sample_times(
    rng: np.random.Generator, n: int, start_us: int, end_us: int, growth: float = 1.2
) -> np.ndarray:
    """Instants in [start, end): daily volume grows by ``growth``x over the window,
    weekdays busier than weekends, evenings busier than nights."""
    days = max(1, (end_us - start_us) // US_PER_DAY)
    day_idx = np.arange(days)
    weights = np.exp(np.log(growth) * day_idx / days)
    start_weekday = int(((start_us // US_PER_DAY) + 3) % 7)  # 1970-01-01 was a Thursday
    weekday = (day_idx + start_weekday) % 7
    weights = weights * np.where(weekday >= 5, 0.8, 1.0)
    d = rng.choice(days, size=n, p=weights / weights.sum())
    hour_w = np.array(
        [2, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 8, 9, 8, 7, 7, 8, 9, 10, 11, 11, 10, 7, 4], dtype=float
    )
    h = rng.choice(24, size=n, p=hour_w / hour_w.sum())
    within = rng.integers(0, US_PER_HOUR, size=n)
    return start_us + d * US_PER_DAY + h * US_PER_HOUR + within


CROCKFORD = np.array(list("0123456789ABCDEFGHJKMNPQRSTVWXYZ"))
EMAIL_DOMAINS = np.array(
    [
        "gmail.com",
        "outlook.com",
        "yahoo.co.uk",
        "icloud.com",
        "hotmail.co.uk",
        "btinternet.com",
        "proton.me",
    ]
)


def ulids(rng: np.random.Generator, created_us: np.ndarray) -> np.ndarray:
    """ULIDs (26 Crockford base-32 characters: 10 of milliseconds, 16 random)."""
    ms = np.maximum(created_us, 0) // 1000
    time_digits = np.stack([(ms >> (5 * (9 - i))) & 31 for i in range(10)], axis=1)
    rand_digits = rng.integers(0, 32, size=(len(ms), 16))
    chars = CROCKFORD[np.concatenate([time_digits, rand_digits], axis=1)]
    return np.ascontiguousarray(chars).view("<U26").ravel()


def canonical_emails(rng: np.random.Generator, users: pd.DataFrame) -> np.ndarray:
    """The email each person signed up with (lower case). Staff use the company
    domain; QA accounts use +aliases."""
    from finstack.generator.config import COMPANY_DOMAIN

    first = users.first_name.str.lower().str.replace("'", "", regex=False)
    last = users.last_name.str.lower().str.replace("'", "", regex=False)
    ids = users.app_user_id.astype(str)
    domain = pd.Series(EMAIL_DOMAINS[rng.integers(0, len(EMAIL_DOMAINS), size=len(users))])
    normal = first + "." + last + ids + "@" + domain
    staff = first + "." + last + ids + "@" + COMPANY_DOMAIN
    qa = "qa+" + ids + "@" + COMPANY_DOMAIN
    test_alias = first + ids + "+test@" + domain
    kind = users.internal_kind.to_numpy()
    return np.select([kind == 1, kind == 2, kind == 3], [staff, qa, test_alias], normal)


def build_people(world: World) -> None:
    """People, app users and their lifecycle (sign-up, KYC, first money)."""
    rng = world.rng("people")
    sc, win = world.scale, world.window
    n_users = sc.users
    n_visitors = round(sc.users * sc.visitors_per_user)
    n = n_users + n_visitors
    is_user = np.zeros(n, dtype=bool)
    is_user[:n_users] = True

    channel = np.where(
        is_user,
        rng.choice(len(CHANNELS), size=n, p=CHANNEL_MIX_USERS / CHANNEL_MIX_USERS.sum()),
        rng.choice(len(CHANNELS), size=n, p=CHANNEL_MIX_VISITORS / CHANNEL_MIX_VISITORS.sum()),
    )
    platform = rng.choice(3, size=n, p=SIGNUP_PLATFORM_MIX)
    # visitors mostly land on the website
    platform = np.where(~is_user & (rng.random(n) < 0.75), 0, platform)

    # sign-up instants spread over the whole simulated horizon
    signup = sample_times(rng, n, win.start_us, win.horizon_us)
    # first visit: in the sign-up session (60%) or days before it
    same_session = rng.random(n) < 0.6
    delay = np.where(
        same_session,
        rng.integers(3 * US_PER_MINUTE, 20 * US_PER_MINUTE, size=n),
        (rng.exponential(3.0, size=n) * US_PER_DAY).astype(np.int64) + US_PER_HOUR,
    )
    first_visit = np.maximum(signup - delay, win.start_us)
    first_visit = np.where(is_user, first_visit, signup)  # visitors: just the visit
    signup = np.where(is_user, signup, NEVER)

    # KYC: submitted, then approved / rejected / still pending / expired
    kyc_submitted = np.where(
        is_user & (rng.random(n) < 0.88),
        signup + (rng.exponential(0.6, size=n) * US_PER_DAY).astype(np.int64) + 4 * US_PER_MINUTE,
        NEVER,
    )
    outcome = rng.choice(4, size=n, p=[0.82, 0.08, 0.06, 0.04])  # approved rejected pending expired
    kyc_decided = (
        kyc_submitted
        + (rng.exponential(10.0, size=n) * US_PER_HOUR).astype(np.int64)
        + 2 * US_PER_MINUTE
    )
    kyc_approved = np.where((kyc_submitted >= 0) & (outcome == 0), kyc_decided, NEVER)
    kyc_rejected = np.where((kyc_submitted >= 0) & (outcome == 1), kyc_decided, NEVER)
    kyc_expired = np.where(
        (kyc_submitted >= 0) & (outcome == 3), kyc_decided + 30 * US_PER_DAY, NEVER
    )

    # Taplytics experiment and Appcues onboarding change the odds of depositing
    exp_variant = rng.integers(0, 2, size=n)
    onboarding_done = is_user & (rng.random(n) < 0.55)
    _, _, _, exp_start, exp_end, exp_effect = EXPERIMENTS[0]
    horizon_span = win.horizon_us - win.start_us
    in_exp = (
        is_user
        & (platform > 0)
        & (signup >= win.start_us + exp_start * horizon_span)
        & (signup < win.start_us + exp_end * horizon_span)
    )
    odds = np.full(n, 0.62)
    odds = odds * np.where(onboarding_done, 1.3, 0.8)
    odds = odds * np.where(in_exp & (exp_variant == 1), exp_effect, 1.0)
    deposits = (kyc_approved >= 0) & (rng.random(n) < np.clip(odds, 0, 0.97))
    first_deposit = np.where(
        deposits,
        kyc_approved
        + (rng.exponential(2.0, size=n) * US_PER_DAY).astype(np.int64)
        + 10 * US_PER_MINUTE,
        NEVER,
    )
    invests = deposits & (rng.random(n) < 0.8)
    first_investment = np.where(
        invests,
        first_deposit
        + (rng.exponential(3.0, size=n) * US_PER_DAY).astype(np.int64)
        + 30 * US_PER_MINUTE,
        NEVER,
    )
    # anything planned past the simulated horizon never happens
    for arr in (
        kyc_submitted,
        kyc_approved,
        kyc_rejected,
        kyc_expired,
        first_deposit,
        first_investment,
    ):
        arr[arr >= win.horizon_us] = NEVER
    first_investment[first_deposit < 0] = NEVER

    # internal staff and QA accounts
    internal = np.zeros(n, dtype=bool)
    n_internal = defect_count("internal_users", n_users)
    internal[rng.choice(n_users, size=n_internal, replace=False)] = True
    internal_flag_set = internal & (rng.random(n) >= 0.30)

    # lifetime after sign-up drives how long users keep coming back
    lifetime_days = rng.exponential(120.0, size=n)
    engagement = rng.lognormal(0.0, 0.6, size=n)

    people = pd.DataFrame(
        {
            "person_idx": np.arange(n, dtype=np.int64),
            "is_user": is_user,
            "channel": channel.astype(np.int16),
            "platform": platform.astype(np.int16),
            "country_code": COUNTRIES[rng.integers(0, len(COUNTRIES), size=n)],
            "first_visit_us": first_visit,
            "signup_us": signup,
            "kyc_submitted_us": kyc_submitted,
            "kyc_approved_us": kyc_approved,
            "kyc_rejected_us": kyc_rejected,
            "kyc_expired_us": kyc_expired,
            "first_deposit_us": first_deposit,
            "first_investment_us": first_investment,
            "exp_variant": exp_variant.astype(np.int16),
            "in_onboarding_experiment": in_exp,
            "onboarding_completed": onboarding_done,
            "is_internal": internal,
            "internal_flag_set": internal_flag_set,
            "lifetime_days": lifetime_days,
            "engagement": engagement,
        }
    )
    world.add("people", people)

    # app users: numeric ids in sign-up order
    users = (
        people.loc[people.is_user].sort_values(["signup_us", "person_idx"]).reset_index(drop=True)
    )
    users.insert(0, "app_user_id", np.arange(1, len(users) + 1, dtype=np.int64))
    urng = world.rng("users")
    m = len(users)
    first_names = np.array(
        [
            "Olivia",
            "Amelia",
            "Isla",
            "Ava",
            "Mia",
            "Ivy",
            "Lily",
            "Sophia",
            "Grace",
            "Freya",
            "Noah",
            "Oliver",
            "George",
            "Arthur",
            "Leo",
            "Harry",
            "Oscar",
            "Muhammad",
            "Jack",
            "Charlie",
            "Aisha",
            "Priya",
            "Chen",
            "Siobhan",
            "Tomasz",
            "Zofia",
            "Kwame",
            "Niamh",
            "Ravi",
            "Fatima",
        ]
    )
    last_names = np.array(
        [
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Johnson",
            "Davies",
            "Patel",
            "Robinson",
            "Wright",
            "Thompson",
            "Evans",
            "Walker",
            "White",
            "Roberts",
            "Green",
            "Hall",
            "Khan",
            "Lewis",
            "O'Brien",
            "Nowak",
            "Mensah",
            "Murphy",
            "Singh",
            "Ahmed",
        ]
    )
    users["first_name"] = first_names[urng.integers(0, len(first_names), size=m)]
    users["last_name"] = last_names[urng.integers(0, len(last_names), size=m)]
    # email variants across systems: 0 same, 1 upper-cased, 2 padded with spaces
    mismatch = urng.random(m) < 0.05
    users["email_variant"] = np.where(mismatch, urng.integers(1, 3, size=m), 0).astype(np.int16)
    # QA aliases and staff addresses for internal users
    users["internal_kind"] = np.where(users.is_internal, urng.integers(1, 4, size=m), 0).astype(
        np.int16
    )
    users["investor_category"] = urng.choice(3, size=m, p=[0.80, 0.12, 0.08]).astype(np.int16)
    users["marketing_opt_in"] = urng.random(m) < 0.64
    users["birth_year"] = urng.integers(1950, 2005, size=m)
    users["birth_doy"] = urng.integers(0, 365, size=m)
    users["referred"] = (users.channel == CH["referral_programme"]).to_numpy()
    users["public_id"] = ulids(urng, users.signup_us.to_numpy())
    users["email"] = canonical_emails(urng, users)
    world.add("users", users)


def build_campaigns(world: World) -> None:
    """Ad accounts, campaigns, ad groups and ads on Google, Facebook and LinkedIn.

    The catalogue is small and fixed in shape; the ads sources describe it and
    the sessions of paid channels point at its ads (UTMs and click ids)."""
    rng = world.rng("campaigns")
    accounts = pd.DataFrame(
        [
            # platform, account name, currency, time zone
            ("google", "Finstack UK Search", "GBP", "Europe/London", False),
            ("google", "Finstack EU", "EUR", "Europe/London", False),
            ("google", "Finstack Test Account", "GBP", "Europe/London", True),
            ("facebook", "Finstack Social", "USD", "America/New_York", False),
            ("linkedin", "Finstack B2B", "EUR", "UTC", False),
        ],
        columns=["platform", "account_name", "currency", "time_zone", "is_test_account"],
    )
    accounts.insert(0, "account_idx", np.arange(len(accounts), dtype=np.int64))

    spec = [
        # account_idx, campaign name (as the marketer typed it), channel type, utm_source, utm_medium
        (0, "Brand Search UK", "SEARCH", "google", "cpc"),
        (0, "P2P Lending Generic", "SEARCH", "google", "cpc"),
        (0, "ISA Season", "SEARCH", "google", "cpc"),
        (0, "Performance Max UK", "PERFORMANCE_MAX", "google", "cpc"),
        (0, "Display Remarketing", "DISPLAY", "google", "display"),
        (1, "EU Cash Savings", "SEARCH", "google", "cpc"),
        (2, "QA Smoke Campaign", "SEARCH", "google", "cpc"),
        (3, "Spring Promo", "CONVERSIONS", "facebook", "paid_social"),
        (3, "Lookalike Investors", "CONVERSIONS", "facebook", "paid_social"),
        (3, "Retargeting Website Visitors", "CONVERSIONS", "facebook", "paid_social"),
        (3, "Brand Awareness Video", "REACH", "facebook", "cpm"),
        (4, "HNW Investors UK", "SPONSORED_UPDATES", "linkedin", "paid_social"),
        (4, "Finance Professionals", "SPONSORED_UPDATES", "linkedin", "paid_social"),
        (4, "Lead Gen Fixed Notes", "TEXT_AD", "linkedin", "paid_social"),
    ]
    campaigns = pd.DataFrame(
        spec, columns=["account_idx", "campaign_name", "channel_type", "utm_source", "utm_medium"]
    )
    campaigns.insert(0, "campaign_idx", np.arange(len(campaigns), dtype=np.int64))
    campaigns["platform"] = accounts.platform.to_numpy()[campaigns.account_idx]
    campaigns["utm_campaign"] = campaigns.campaign_name.str.lower()  # "spring promo"
    campaigns["platform_campaign_id"] = 10_000_000 + rng.integers(
        0, 89_999_999, size=len(campaigns)
    )
    campaigns["daily_budget_major"] = rng.choice([50, 100, 150, 250, 400], size=len(campaigns))
    campaigns["is_test"] = accounts.is_test_account.to_numpy()[campaigns.account_idx]
    world.add("ad_accounts", accounts)
    world.add("campaigns", campaigns)

    groups = []
    for c in campaigns.itertuples():  # a few dozen rows: catalogue, not data
        for g in range(2 if c.channel_type != "PERFORMANCE_MAX" else 1):
            groups.append((c.campaign_idx, f"{c.campaign_name} - group {g + 1}"))
    ad_groups = pd.DataFrame(groups, columns=["campaign_idx", "ad_group_name"])
    ad_groups.insert(0, "ad_group_idx", np.arange(len(ad_groups), dtype=np.int64))
    ad_groups["platform_ad_group_id"] = 100_000_000 + rng.integers(
        0, 899_999_999, size=len(ad_groups)
    )
    ads = []
    landing = [
        "/",
        "/invest",
        "/products/lending-pool-a",
        "/products/fixed-note-12m",
        "/products/easy-access-cash",
    ]
    for g in ad_groups.itertuples():
        for a in range(2):
            ads.append(
                (
                    g.ad_group_idx,
                    g.campaign_idx,
                    f"{g.ad_group_name} - ad {a + 1}",
                    landing[(g.ad_group_idx + a) % len(landing)],
                )
            )
    ads_df = pd.DataFrame(ads, columns=["ad_group_idx", "campaign_idx", "ad_name", "landing_path"])
    ads_df.insert(0, "ad_idx", np.arange(len(ads_df), dtype=np.int64))
    ads_df["platform_ad_id"] = 1_000_000_000 + rng.integers(0, 8_999_999_999, size=len(ads_df))
    plat = campaigns.platform.to_numpy()[ads_df.campaign_idx]
    # Google auto-tagging: half of the ads carry no UTMs (gclid only)
    ads_df["has_utms"] = ~((plat == "google") & (rng.random(len(ads_df)) < 0.5))
    ads_df["utm_content"] = "ad_" + (ads_df.ad_idx + 1).astype(str)
    world.add("ad_groups", ad_groups)
    world.add("ads", ads_df)


def build_devices(world: World) -> None:
    """Devices (anonymous ids) of every person; shared devices; skewed clocks."""
    rng = world.rng("devices")
    people = world["people"]
    n = len(people)
    is_user = people.is_user.to_numpy()
    n_dev = np.where(
        is_user, 1 + np.minimum(rng.poisson(1.3, size=n), 7), 1 + (rng.random(n) < 0.1)
    )
    person = np.repeat(people.person_idx.to_numpy(), n_dev)
    ordinal = np.arange(len(person)) - np.repeat(np.cumsum(n_dev) - n_dev, n_dev)
    m = len(person)
    platform = np.where(
        ordinal == 0, people.platform.to_numpy()[person], rng.choice(3, size=m, p=[0.6, 0.25, 0.15])
    )
    skew = np.zeros(m, dtype=np.int64)
    skewed = rng.random(m) < 0.02
    magnitude = np.exp(rng.uniform(np.log(60), np.log(3 * 365 * 86400), size=m))  # 1 min .. 3 years
    skew[skewed] = (
        np.sign(rng.random(skewed.sum()) - 0.5) * magnitude[skewed] * US_PER_SECOND
    ).astype(np.int64)
    mobile = platform > 0
    devices = pd.DataFrame(
        {
            "device_idx": np.arange(m, dtype=np.int64),
            "person_idx": person,
            "ordinal": ordinal.astype(np.int16),
            "platform": platform.astype(np.int16),
            "clock_skew_us": skew,
            "zeroed_ad_id": mobile & (rng.random(m) < 0.30),
            "qa_device": np.zeros(m, dtype=bool),
            "os_minor": rng.integers(0, 4, size=m).astype(np.int16),
            "model_idx": rng.integers(0, 6, size=m).astype(np.int16),
            "ua_idx": rng.integers(0, 6, size=m).astype(np.int16),
            "ip_octets": rng.integers(1, 254, size=(m,)).astype(np.int16),
            "ip_block": rng.integers(0, 200, size=m).astype(np.int16),
            "legacy_sdk": rng.random(m)
            < 0.15,  # keeps sending the numeric user id after the migration
            "shared_with_person_idx": np.full(m, NEVER, dtype=np.int64),
        }
    )
    # QA devices: internal users' mobile devices reuse five fixed device ids
    internal = people.is_internal.to_numpy()[person]
    devices.loc[internal & mobile, "qa_device"] = True
    # shared devices: a second user logs in on a user's device later
    user_dev = np.flatnonzero(is_user[person])
    n_shared = defect_count("segment_shared_devices", len(user_dev))
    shared = rng.choice(user_dev, size=n_shared, replace=False)
    user_people = people.person_idx.to_numpy()[is_user]
    devices.loc[shared, "shared_with_person_idx"] = rng.choice(user_people, size=n_shared)
    same = devices.shared_with_person_idx.to_numpy() == person
    devices.loc[same, "shared_with_person_idx"] = NEVER
    world.add("devices", devices)


def build_sessions(world: World) -> None:
    """Sessions of people on their devices, with acquisition context.

    Anchor sessions carry the lifecycle moments (first visit, sign-up, KYC
    submission, first deposit, first investment); activity sessions follow a
    user's engagement and lifetime; shared devices get sessions of a second user.
    """
    rng = world.rng("sessions")
    sc, win = world.scale, world.window
    people, devices = world["people"], world["devices"]
    n = len(people)
    first_dev = np.full(n, -1, dtype=np.int64)
    first_dev[devices.person_idx[devices.ordinal == 0].to_numpy()] = devices.device_idx[
        devices.ordinal == 0
    ].to_numpy()
    n_dev = np.bincount(devices.person_idx.to_numpy(), minlength=n)
    dev_start = np.cumsum(n_dev) - n_dev

    parts = []

    def add(person, start, kind, device=None, channel=None):
        person = np.asarray(person, dtype=np.int64)
        if device is None:
            device = dev_start[person] + rng.integers(0, n_dev[person])
        if channel is None:
            channel = np.full(len(person), CH["direct"])
        parts.append(
            pd.DataFrame(
                {
                    "person_idx": person,
                    "device_idx": np.asarray(device, dtype=np.int64),
                    "start_us": np.asarray(start, dtype=np.int64),
                    "anchor": np.full(len(person), kind, dtype=np.int16),
                    "channel": np.asarray(channel, dtype=np.int16),
                }
            )
        )

    pid = people.person_idx.to_numpy()
    # 0: first visit, on the first device, from the acquisition channel
    add(pid, people.first_visit_us.to_numpy(), 0, first_dev, people.channel.to_numpy())
    # 1: sign-up, when it did not happen in the first session
    signup = people.signup_us.to_numpy()
    later = (signup >= 0) & (signup - people.first_visit_us.to_numpy() > 25 * US_PER_MINUTE)
    add(
        pid[later],
        signup[later] - 2 * US_PER_MINUTE,
        1,
        first_dev[later],
        np.where(rng.random(later.sum()) < 0.7, CH["direct"], CH["email"]),
    )
    # 2..4: KYC submitted, first deposit, first investment (client actions)
    for kind, col in ((2, "kyc_submitted_us"), (3, "first_deposit_us"), (4, "first_investment_us")):
        t = people[col].to_numpy()
        ok = t >= 0
        add(pid[ok], t[ok] - 3 * US_PER_MINUTE, kind)
    # 5: activity sessions of users over their lifetime
    is_user = people.is_user.to_numpy()
    lam = sc.activity_sessions_per_user * people.engagement.to_numpy() * is_user
    k = rng.poisson(lam)
    who = np.repeat(pid, k)
    span_end = np.minimum(
        signup[who] + (people.lifetime_days.to_numpy()[who] * US_PER_DAY).astype(np.int64),
        win.horizon_us - US_PER_HOUR,
    )
    span = np.maximum(span_end - signup[who], US_PER_HOUR)
    start = signup[who] + US_PER_HOUR + (rng.random(len(who)) ** 1.6 * span).astype(np.int64)
    ch = rng.choice(
        [
            CH["direct"],
            CH["email"],
            CH["organic_search"],
            CH["paid_social_facebook"],
            CH["referral"],
        ],
        size=len(who),
        p=[0.70, 0.15, 0.05, 0.05, 0.05],
    )
    add(who, start, 5, channel=ch)
    # 6: return visits of visitors within two weeks
    vis = pid[~is_user]
    kv = rng.geometric(0.6, size=len(vis)) - 1
    whov = np.repeat(vis, kv)
    add(
        whov,
        people.first_visit_us.to_numpy()[whov]
        + (rng.exponential(4.0, size=len(whov)) * US_PER_DAY).astype(np.int64)
        + US_PER_HOUR,
        6,
        channel=rng.choice([CH["direct"], CH["organic_search"]], size=len(whov)),
    )
    # 7: shared devices: the second user's sessions on someone else's device
    shared = devices.loc[devices.shared_with_person_idx >= 0]
    reps = rng.integers(2, 5, size=len(shared))
    other = np.repeat(shared.shared_with_person_idx.to_numpy(), reps)
    owner_signup = np.repeat(signup[shared.person_idx.to_numpy()], reps)
    base = np.maximum(owner_signup, signup[other]) + US_PER_DAY
    add(
        other,
        base + (rng.exponential(10.0, size=len(other)) * US_PER_DAY).astype(np.int64),
        7,
        np.repeat(shared.device_idx.to_numpy(), reps),
    )

    sessions = pd.concat(parts, ignore_index=True)
    sessions = sessions.loc[
        (sessions.start_us >= win.start_us) & (sessions.start_us < win.horizon_us - 2 * US_PER_HOUR)
    ]
    # Overlapping sessions of one device are fine: the event models sessionize
    # by inactivity, exactly as they would with real data.
    sessions = sessions.sort_values(["device_idx", "start_us", "anchor"]).reset_index(drop=True)
    sessions["platform"] = devices.platform.to_numpy()[sessions.device_idx.to_numpy()]
    # paid sessions point at an ad of a campaign of the channel's platform
    campaigns, ads = world["campaigns"], world["ads"]
    ad_platform = campaigns.platform.to_numpy()[ads.campaign_idx.to_numpy()]
    ad_is_test = campaigns.is_test.to_numpy()[ads.campaign_idx.to_numpy()]
    ad_channel_type = campaigns.channel_type.to_numpy()[ads.campaign_idx.to_numpy()]
    ad_idx = np.full(len(sessions), NEVER, dtype=np.int64)
    chan = sessions.channel.to_numpy()
    for ch_name, plat in CHANNEL_PLATFORM.items():
        rows = np.flatnonzero(chan == CH[ch_name])
        if ch_name == "display":
            pool = np.flatnonzero((ad_platform == plat) & (ad_channel_type == "DISPLAY"))
        elif ch_name == "paid_search":
            pool = np.flatnonzero(
                (ad_platform == plat) & (ad_channel_type != "DISPLAY") & ~ad_is_test
            )
        else:
            pool = np.flatnonzero((ad_platform == plat) & ~ad_is_test)
        ad_idx[rows] = rng.choice(pool, size=len(rows))
    sessions["ad_idx"] = ad_idx
    sessions["utm_variant"] = np.where(
        rng.random(len(sessions)) < 0.15, rng.integers(1, 6, size=len(sessions)), 0
    ).astype(np.int16)
    sessions.insert(0, "session_idx", np.arange(len(sessions), dtype=np.int64))
    world.add("sessions", sessions)


def build_core(world: World) -> None:
    build_people(world)
    build_campaigns(world)
    build_devices(world)
    build_sessions(world)
