"""Scales, time window and the documented defect rates of the generator.

Every rate the generator applies lives in ``DEFECTS`` so that the docs table
(``docs/generator.md``) and the pytest rate checks read the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    users: int  # people who sign up in the app
    days: int  # days of history up to and including the end date
    visitors_per_user: float  # anonymous visitors who never sign up, per user
    activity_sessions_per_user: float  # mean sessions after sign-up
    events_per_session: float  # mean client events per session (besides anchors)


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        "tiny",
        users=1_200,
        days=60,
        visitors_per_user=1.2,
        activity_sessions_per_user=7,
        events_per_session=5,
    ),
    "demo": Scale(
        "demo",
        users=10_000,
        days=180,
        visitors_per_user=1.5,
        activity_sessions_per_user=12,
        events_per_session=6,
    ),
    "large": Scale(
        "large",
        users=100_000,
        days=365,
        visitors_per_user=1.5,
        activity_sessions_per_user=12,
        events_per_session=6,
    ),
    "xl": Scale(
        "xl",
        users=1_000_000,
        days=365,
        visitors_per_user=1.5,
        activity_sessions_per_user=12,
        events_per_session=6,
    ),
}

# Days simulated past the end date, so that `generate --next-day` can deliver
# them (and late events for earlier days) without regenerating the world.
HORIZON_EXTRA_DAYS = 14

# Every defect is present at least this many times, whatever the scale.
MIN_DEFECT_COUNT = 5

COMPANY_DOMAIN = "finstack.co.uk"
PRODUCT_LAUNCH = dt.date(2019, 6, 1)


@dataclass(frozen=True)
class Defect:
    key: str
    source: str
    rule: str
    rate: float
    unit: str  # what the rate is a share of
    tolerance: float = 0.5  # relative tolerance the pytest rate check allows


DEFECTS: dict[str, Defect] = {
    d.key: d
    for d in [
        # cross-source
        Defect(
            "internal_users",
            "app_mysql",
            "staff and QA users; is_staff/is_test set for 70% of them",
            0.015,
            "users",
        ),
        Defect(
            "internal_flag_missing",
            "app_mysql",
            "internal users whose is_staff/is_test flag is not set",
            0.30,
            "internal users",
        ),
        Defect(
            "email_case_mismatch",
            "cross-source",
            "email differs in case or whitespace between systems",
            0.05,
            "users",
        ),
        Defect(
            "erasure",
            "app_mysql",
            "GDPR erasure requests (PII nulled in MySQL, Segment identified rows deleted)",
            0.003,
            "users",
        ),
        # segment
        Defect(
            "segment_exact_duplicates",
            "segment",
            "same message id delivered twice (new received_at)",
            0.008,
            "events",
        ),
        Defect(
            "segment_duplicates_late",
            "segment",
            "re-deliveries more than 24 h after the original",
            0.0005,
            "events",
        ),
        Defect(
            "segment_semantic_duplicates",
            "segment",
            "server retries with a new id and the same transaction_id",
            0.003,
            "server events",
        ),
        Defect(
            "segment_late_1h",
            "segment",
            "received more than 1 h after the event (mobile offline batches)",
            0.03,
            "mobile events",
        ),
        Defect(
            "segment_late_3d",
            "segment",
            "received more than 3 days after the event",
            0.003,
            "mobile events",
        ),
        Defect(
            "segment_clock_skew",
            "segment",
            "device clock off (original_timestamp/sent_at skewed, timestamp right)",
            0.02,
            "devices",
        ),
        Defect(
            "segment_uncorrectable_skew",
            "segment",
            "timestamp in the future or in 1970",
            0.0005,
            "events",
        ),
        Defect(
            "segment_bot_pageviews",
            "segment",
            "bot, crawler and uptime-monitor page views (web)",
            0.06,
            "web page views",
        ),
        Defect(
            "segment_shared_devices",
            "segment",
            "anonymous_id identified as two or more users",
            0.005,
            "user devices",
        ),
        Defect(
            "segment_utm_messy",
            "segment",
            "UTM values percent-encoded, '+'-encoded, double-encoded, mixed case or padded",
            0.15,
            "tagged hits",
        ),
        Defect(
            "segment_zeroed_ad_id",
            "segment",
            "zeroed advertising id on mobile devices that refused tracking",
            0.30,
            "mobile devices",
        ),
        # app mysql
        Defect("app_soft_delete", "app_mysql", "users with deleted_at set", 0.01, "users"),
        Defect(
            "app_hard_delete", "app_mysql", "users with _fivetran_deleted = true", 0.002, "users"
        ),
        Defect(
            "app_idempotency_retry",
            "app_mysql",
            "failed duplicate transaction with the same idempotency_key",
            0.005,
            "transactions",
        ),
        Defect(
            "app_reversal",
            "app_mysql",
            "completed transactions reversed by a reversal transaction",
            0.003,
            "transactions",
        ),
        Defect(
            "app_midnight_straddle",
            "app_mysql",
            "ledger posted_at on a different UTC date than completed_at",
            0.01,
            "transactions",
        ),
        Defect(
            "app_pending_forever",
            "app_mysql",
            "transactions pending for more than 30 days",
            0.001,
            "transactions",
        ),
        Defect(
            "app_zero_dates",
            "app_mysql",
            "MySQL zero dates landed as NULL (users.email_verified_at)",
            0.002,
            "users",
        ),
    ]
}


def register_defects(*defects: Defect) -> None:
    """Source modules declare their own defects here, at import."""
    for d in defects:
        if d.key in DEFECTS:
            raise ValueError(f"defect {d.key} declared twice")
        DEFECTS[d.key] = d


def defect_count(key: str, population: int) -> int:
    """How many rows of ``population`` get the defect: its rate, at least MIN_DEFECT_COUNT."""
    rate = DEFECTS[key].rate
    return int(min(population, max(MIN_DEFECT_COUNT, round(rate * population))))


@dataclass(frozen=True)
class Window:
    """The generated time window, in microseconds since the epoch (UTC)."""

    start_date: dt.date
    end_date: dt.date  # last day delivered by the initial generation

    @property
    def horizon_date(self) -> dt.date:
        """Last day simulated (the world runs past end_date for --next-day)."""
        return self.end_date + dt.timedelta(days=HORIZON_EXTRA_DAYS)

    @staticmethod
    def day_us(day: dt.date) -> int:
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) * 1_000_000

    @property
    def start_us(self) -> int:
        return self.day_us(self.start_date)

    @property
    def end_us(self) -> int:
        """Exclusive cut-off of the initial delivery: midnight after end_date."""
        return self.day_us(self.end_date + dt.timedelta(days=1))

    @property
    def horizon_us(self) -> int:
        return self.day_us(self.horizon_date + dt.timedelta(days=1))


def make_window(scale: Scale, end_date: dt.date | None) -> Window:
    end = end_date or dt.datetime.now(dt.UTC).date()
    return Window(start_date=end - dt.timedelta(days=scale.days - 1), end_date=end)


US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
