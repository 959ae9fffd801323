"""`cd examples/fastapi-catalog && /usr/bin/python3 -m pytest -q`: the exported names and labels are the instrumentator's."""
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from catalog import app

client = TestClient(app, raise_server_exceptions=False)


def sample(name: str, labels: dict) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_counts_requests_by_route_template_method_and_grouped_status():
    ok_before = sample("http_requests_total", {"handler": "/items/{item_id}", "method": "GET", "status": "2xx"})
    failed_before = sample("http_requests_total", {"handler": "/items/{item_id}", "method": "GET", "status": "5xx"})
    assert client.get("/items/1").status_code == 200
    assert client.get("/items/2?fail=1").status_code == 500
    assert client.get("/items/1", headers={"x-fail-on-purpose": "1"}).status_code == 500
    assert client.get("/items/9").status_code == 404
    assert sample("http_requests_total", {"handler": "/items/{item_id}", "method": "GET", "status": "2xx"}) == ok_before + 1
    assert sample("http_requests_total", {"handler": "/items/{item_id}", "method": "GET", "status": "5xx"}) == failed_before + 2
    assert sample("http_requests_total", {"handler": "/items/{item_id}", "method": "GET", "status": "4xx"}) >= 1


def test_unmatched_paths_are_grouped_under_none():
    before = sample("http_requests_total", {"handler": "none", "method": "GET", "status": "4xx"})
    client.get("/no/such/path")
    assert sample("http_requests_total", {"handler": "none", "method": "GET", "status": "4xx"}) == before + 1


def test_latency_histogram_has_the_instrumentators_default_buckets():
    client.get("/items")
    text = client.get("/metrics").text
    buckets = [
        line.split('le="')[1].split('"')[0]
        for line in text.splitlines()
        if line.startswith('http_request_duration_seconds_bucket{handler="/items",')
    ]
    assert buckets == ["0.1", "0.5", "1.0", "+Inf"]
    assert 'http_request_duration_highr_seconds_bucket{le="60.0"}' in text
    assert 'http_request_size_bytes_count{handler="/items"}' in text
    assert 'http_response_size_bytes_sum{handler="/items"}' in text
