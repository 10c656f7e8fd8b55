def test_the_landing_page_answers_in_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
