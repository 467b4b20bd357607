"""VADER sentiment of customer messages (no text leaves this module).

A customer message is a thread written by the customer (staging's
author_type 'customer': thread types customer and chat) of a kept,
non-erased conversation. Scores are VADER's (compound in [-1, 1]; pos, neg,
neu proportions summing to ~1); a conversation is labelled with VADER's own
convention on the mean compound: positive >= 0.05, negative <= -0.05, else
neutral.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
MESSAGE_COLUMNS = [
    "thread_id",
    "conversation_id",
    "thread_type",
    "created_at",
    "sentiment_compound",
    "sentiment_positive",
    "sentiment_negative",
    "sentiment_neutral",
]

_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h\d)\b[^>]*>", re.IGNORECASE)
_HIDDEN = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


def strip_html(text: str | None) -> str:
    """Plain text of an HTML body: scripts/styles dropped, block ends become
    spaces, tags removed, entities decoded, whitespace collapsed. Idempotent
    on plain text."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = _HIDDEN.sub(" ", str(text))
    out = _BLOCK.sub(" ", out)
    out = _TAG.sub("", out)
    out = html.unescape(out)
    return _SPACE.sub(" ", out).strip()


# The thread columns customer_messages() reads: what the support models
# select from stg_helpscout__conversation_threads.
THREAD_COLUMNS = [
    "thread_id",
    "conversation_id",
    "thread_type",
    "author_type",
    "body_text",
    "created_at",
    "quarantine_reason",
]


def customer_messages(threads: pd.DataFrame, conversations: pd.DataFrame) -> pd.DataFrame:
    """Customer-written, non-quarantined threads of the kept conversations,
    with ``text`` = the stripped body (threads: thread_id, conversation_id,
    thread_type, author_type, body_text, created_at[, quarantine_reason];
    conversations: conversation_id). Empty texts are dropped."""
    kept = set(conversations["conversation_id"].astype(str))
    mask = (threads["author_type"] == "customer") & threads["conversation_id"].astype(str).isin(
        kept
    )
    if "quarantine_reason" in threads:
        mask &= threads["quarantine_reason"].isna()
    out = threads.loc[mask, ["thread_id", "conversation_id", "thread_type", "created_at"]].copy()
    out["text"] = threads.loc[mask, "body_text"].map(strip_html)
    out = out[out["text"] != ""]
    out["thread_id"] = out["thread_id"].astype(str)
    out["conversation_id"] = out["conversation_id"].astype(str)
    return out.reset_index(drop=True)


def score_messages(threads: pd.DataFrame, conversations: pd.DataFrame) -> pd.DataFrame:
    """One row per customer message: ids, created_at and the four VADER
    scores; no text."""
    messages = customer_messages(threads, conversations)
    analyzer = SentimentIntensityAnalyzer()
    scores = [analyzer.polarity_scores(t) for t in messages["text"]]
    messages["sentiment_compound"] = [s["compound"] for s in scores]
    messages["sentiment_positive"] = [s["pos"] for s in scores]
    messages["sentiment_negative"] = [s["neg"] for s in scores]
    messages["sentiment_neutral"] = [s["neu"] for s in scores]
    out = messages[MESSAGE_COLUMNS].copy()
    for col in MESSAGE_COLUMNS[4:]:
        out[col] = out[col].astype("float64")
    return out.sort_values("thread_id").reset_index(drop=True)


def sentiment_label(compound: float | None) -> str | None:
    """VADER's convention: positive >= 0.05, negative <= -0.05, else neutral."""
    if compound is None or pd.isna(compound):
        return None
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"
