"""One row per tag the ticket tagger predicts, plus a 'macro avg' row:
precision, recall, F1 and support of the model behind
int_support__conversation_tags_predicted on a stratified hold-out split
(meta ticket_tagger_test_size of the tagged conversations, fixed seed).
Logic and tests: src/finstack/ml/tagging.py, tests/python/test_ml.py."""

from finstack.ml import to_pandas
from finstack.ml.sentiment import THREAD_COLUMNS
from finstack.ml.tagging import TAG_COLUMNS, evaluate_tagger


def model(dbt, session):
    dbt.config(materialized="table")
    min_examples = int(dbt.config.meta_get("ticket_tagger_min_examples", 5))
    random_state = int(dbt.config.meta_get("ticket_tagger_random_state", 42))
    test_size = float(dbt.config.meta_get("ticket_tagger_test_size", 0.25))
    threads = to_pandas(dbt.ref("stg_helpscout__conversation_threads"), THREAD_COLUMNS)
    tags = to_pandas(dbt.ref("stg_helpscout__conversation_tags"), TAG_COLUMNS)
    conversations = to_pandas(dbt.ref("int_helpscout__conversations_matched"), ["conversation_id"])
    return evaluate_tagger(
        threads,
        tags,
        conversations,
        min_examples=min_examples,
        test_size=test_size,
        random_state=random_state,
    )
