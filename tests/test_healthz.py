import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_once_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_floor_is_hidden_unless_benchmarking(client, monkeypatch):
    assert client.get("/bench/floor").status_code == 404
    monkeypatch.setenv("STAFFROOM_BENCH_FLOOR", "1")
    assert client.get("/bench/floor").status_code == 200
