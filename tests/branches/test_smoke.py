def test_the_landing_page_answers_in_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"


def test_the_landing_page_leads_the_public_to_the_disclosure_board(client, db):
    from django.urls import reverse

    page = client.get("/").content.decode()
    assert f'href="{reverse("openness:public")}"' in page and "党务公开栏" in page
    assert client.get(reverse("openness:public")).status_code == 200  # open to the anonymous public
