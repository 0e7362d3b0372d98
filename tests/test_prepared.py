"""meetings.prepared: statements prepared once per connection, and again on a new one."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from meetings import prepared

SQL = "SELECT %s::int + %s::int"


def run(a: int, b: int) -> int:
    with connection.cursor() as cursor:
        prepared.execute(cursor, SQL, [a, b])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_and_run_with_each_call_s_parameters():
    assert run(1, 2) == 3
    assert run(40, 2) == 42
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%SELECT $1::int + $2::int"],
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_it_again():
    assert run(1, 2) == 3
    connection.close()  # the server forgets the statement with its session
    assert run(2, 3) == 5


@pytest.mark.django_db(transaction=True)
def test_a_statement_prepared_in_a_transaction_that_rolls_back_stays_prepared():
    with transaction.atomic():
        assert run(1, 1) == 2
        transaction.set_rollback(True)
    assert run(3, 4) == 7
