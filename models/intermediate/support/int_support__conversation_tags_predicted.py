"""One row per kept, non-erased conversation that agents left untagged,
with the primary tag a TF-IDF + one-vs-rest logistic regression model
predicts from its customer text (trained on every tagged conversation whose
primary tag has at least meta ticket_tagger_min_examples examples); NULL
prediction when the conversation has no customer text. Evaluation of the
same model: rpt_ticket_tagger_evaluation. Logic and tests:
src/finstack/ml/tagging.py, tests/python/test_ml.py."""

from finstack.ml import to_pandas
from finstack.ml.sentiment import THREAD_COLUMNS
from finstack.ml.tagging import TAG_COLUMNS, predict_tags


def model(dbt, session):
    dbt.config(materialized="table")
    min_examples = int(dbt.config.meta_get("ticket_tagger_min_examples", 5))
    random_state = int(dbt.config.meta_get("ticket_tagger_random_state", 42))
    threads = to_pandas(dbt.ref("stg_helpscout__conversation_threads"), THREAD_COLUMNS)
    tags = to_pandas(dbt.ref("stg_helpscout__conversation_tags"), TAG_COLUMNS)
    conversations = to_pandas(dbt.ref("int_helpscout__conversations_matched"), ["conversation_id"])
    return predict_tags(
        threads,
        tags,
        conversations,
        min_examples=min_examples,
        random_state=random_state,
    )
