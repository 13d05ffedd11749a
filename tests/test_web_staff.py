"""The Admins' and Operators' screens through the real pages: triage, escalation,
processing, and what each of them may see."""

import pytest
from sqlalchemy import select

from app import workflow
from app.extensions import db
from app.models import Category, Message, StatusChange

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, make_cast, opd_id, pdf_bytes, signed_in, upload


@pytest.fixture
def app_config():
    return WEB_CONFIG


def _message(app, message_id):
    with app.app_context():
        message = db.session.get(Message, message_id)
        db.session.expunge(message)
        return message


def _version(app, message_id):
    with app.app_context():
        return db.session.get(Message, message_id).version


def _classification(app, category="pengaduan", active=True):
    with app.app_context():
        cat = db.session.scalar(select(Category).where(Category.code == category))
        sub = next(s for s in cat.subcategories if s.active == active)
        return cat.id, sub.id


def test_inbox_shows_new_messages_and_marks_returned_ones(app):
    """Does the Admin's inbox list new messages by default, mark returned ones, hide others?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        make_message(title="Pesan baru masuk")
        forwarded = make_message(title="Pesan sudah diteruskan")
        forward_to(forwarded, "DLH")
        returned = make_message(title="Pesan dikembalikan OPD")
        forward_to(returned, "DLH")
        workflow.return_to_triage(make_user("Operator", opd="DLH"), returned,
                                  reason="Bukan kewenangan kami.")
    admin = signed_in(app, "admin@example.test")
    text = admin.get("/triase/list/").get_data(as_text=True)
    assert "Pesan baru masuk" in text and "Pesan dikembalikan OPD" in text
    assert "Pesan sudah diteruskan" not in text
    assert "fa-undo" in text  # the returned badge
    everything = admin.get("/triase/list/?status=all").get_data(as_text=True)
    assert "Pesan sudah diteruskan" in everything
    searched = admin.get("/triase/list/?_flt_2_title=diteruskan").get_data(as_text=True)
    assert "Pesan sudah diteruskan" in searched and "Pesan baru masuk" not in searched


def test_admin_classifies_and_forwards(app):
    """Does classify+forward on the detail page send the message to the chosen OPD?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        message = make_message(title="Sinyal hilang di Kutai Barat")
        mid = message.id
    admin = signed_in(app, "admin@example.test")
    page = admin.get(f"/triase/show/{mid}").get_data(as_text=True)
    assert 'action="/triase/forward/' in page and "Sinyal hilang" in page
    assert '<a href="/triase/list/"><i class="fa fa-arrow-left"></i> Kotak Masuk</a>' in page
    category, subcategory = _classification(app)
    response = admin.post(f"/triase/forward/{mid}", data={
        "category": category, "subcategory": subcategory, "opd": opd_id_in(app, "DISKOMINFO"),
        "note": "Mohon ditindaklanjuti.", "version": _version(app, mid),
    })
    assert response.status_code == 302
    stored = _message(app, mid)
    assert stored.status == "diteruskan" and stored.subcategory_id == subcategory


def opd_id_in(app, short_name):
    with app.app_context():
        return opd_id(short_name)


def test_forward_refuses_a_subcategory_of_another_category_and_keeps_the_note(app):
    """Is a subcategory that does not belong to the category refused, keeping the input?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        message = make_message()
        mid = message.id
    category, _sub = _classification(app, "aspirasi")
    _cat, foreign = _classification(app, "pengaduan")
    admin = signed_in(app, "admin@example.test")
    response = admin.post(f"/triase/forward/{mid}", data={
        "category": category, "subcategory": foreign, "opd": opd_id_in(app, "DLH"),
        "note": "Catatan yang tidak boleh hilang", "version": _version(app, mid),
    })
    assert response.status_code == 409
    assert "Catatan yang tidak boleh hilang" in response.get_data(as_text=True)
    assert _message(app, mid).status == "baru"


def test_forward_refuses_an_inactive_subcategory(app):
    """Is an inactive subcategory neither offered nor accepted?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        message = make_message()
        mid = message.id
        cat = db.session.scalar(select(Category).where(Category.code == "pengaduan"))
        retired = cat.subcategories[0]
        retired.active = False
        db.session.commit()
        category, retired_id, retired_name = cat.id, retired.id, retired.name
    admin = signed_in(app, "admin@example.test")
    page = admin.get(f"/triase/show/{mid}").get_data(as_text=True)
    assert f'value="{retired_id}"' not in page.split('id="subcategory"')[1].split("</select>")[0]
    assert retired_name not in page
    response = admin.post(f"/triase/forward/{mid}", data={
        "category": category, "subcategory": retired_id, "opd": opd_id_in(app, "DLH"),
        "version": _version(app, mid),
    })
    assert response.status_code == 400
    assert _message(app, mid).status == "baru"


def test_a_stale_page_is_refused(app):
    """Is a form sent from a page older than the message's last change refused?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        message = make_message()
        mid = message.id
        stale = message.version
        forward_to(message, "DLH")
    category, subcategory = _classification(app)
    admin = signed_in(app, "admin@example.test")
    response = admin.post(f"/triase/forward/{mid}", data={
        "category": category, "subcategory": subcategory, "opd": opd_id_in(app, "DINSOS"),
        "version": stale,
    })
    assert response.status_code == 409
    assert _message(app, mid).opd_id == opd_id_in(app, "DLH")


def test_escalation_goes_to_the_super_admin_who_decides(app):
    """Does an escalated message wait in the Super Admin's queue, who can then forward it?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        make_user("Super Admin", email="super@example.test")
        message = make_message(title="Tidak jelas OPD-nya")
        mid = message.id
    admin = signed_in(app, "admin@example.test")
    response = admin.post(f"/triase/escalate/{mid}", data={
        "escalate-reason": "Lintas OPD", "escalate-version": _version(app, mid),
    })
    assert response.status_code == 302
    assert _message(app, mid).status == "eskalasi"
    admin_page = admin.get(f"/triase/show/{mid}").get_data(as_text=True)
    assert 'action="/triase/forward/' not in admin_page
    boss = signed_in(app, "super@example.test")
    queue = boss.get("/triase/list/?status=eskalasi").get_data(as_text=True)
    assert "Tidak jelas OPD-nya" in queue
    category, subcategory = _classification(app)
    decided = boss.post(f"/triase/forward/{mid}", data={
        "category": category, "subcategory": subcategory, "opd": opd_id_in(app, "BPBD"),
        "version": _version(app, mid),
    })
    assert decided.status_code == 302
    assert _message(app, mid).status == "diteruskan"


def test_admin_rejects_with_a_reason(app):
    """Does a rejection with a reason change the status, and is an empty reason refused?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        message = make_message()
        mid = message.id
    admin = signed_in(app, "admin@example.test")
    empty = admin.post(f"/triase/reject/{mid}",
                       data={"reject-reason": "", "reject-version": _version(app, mid)})
    assert empty.status_code == 400 and _message(app, mid).status == "baru"
    done = admin.post(f"/triase/reject/{mid}",
                      data={"reject-reason": "Spam", "reject-version": _version(app, mid)})
    assert done.status_code == 302 and _message(app, mid).status == "ditolak"


def test_operator_starts_updates_and_resolves_with_a_file(app):
    """Can the Operator start, post a public update and an internal note, and resolve?"""
    with app.app_context():
        cast = make_cast()
    op = signed_in(app, cast.operator_x)
    url = f"/opd/{{}}/{cast.message_a}"
    started = op.post(url.format("start"), data={"start-version": _version(app, cast.message_a)})
    assert started.status_code == 302
    public = op.post(url.format("progress"), data={
        "progress-note": "Tim teknis dikirim.", "progress-visibility": "public",
        "progress-version": _version(app, cast.message_a),
    })
    assert public.status_code == 302
    internal = op.post(url.format("progress"), data={
        "progress-note": "Perlu koordinasi Telkom.", "progress-visibility": "internal",
        "progress-version": _version(app, cast.message_a),
    })
    assert internal.status_code == 302
    no_text = op.post(url.format("resolve"), data={
        "resolve-resolution": "", "resolve-version": _version(app, cast.message_a),
    })
    assert no_text.status_code == 400
    resolved = op.post(url.format("resolve"), data={
        "resolve-resolution": "Jaringan sudah pulih.",
        "resolve-version": _version(app, cast.message_a),
        "resolve-files": [upload(pdf_bytes(), "berita-acara.pdf")],
    }, content_type="multipart/form-data")
    assert resolved.status_code == 302
    message = _message(app, cast.message_a)
    assert message.status == "selesai" and message.resolution == "Jaringan sudah pulih."
    citizen = signed_in(app, cast.citizen_a)
    page = citizen.get(f"/pesan/show/{cast.message_a}").get_data(as_text=True)
    assert "Tim teknis dikirim." in page and "Jaringan sudah pulih." in page
    assert "berita-acara.pdf" in page and "Perlu koordinasi Telkom." not in page


def test_operator_returns_a_message_that_is_not_theirs(app):
    """Does a returned message leave the OPD's list and come back to the inbox, marked?"""
    with app.app_context():
        cast = make_cast()
    op = signed_in(app, cast.operator_x)
    response = op.post(f"/opd/return/{cast.message_a}", data={
        "return-reason": "Ini urusan DLH.", "return-version": _version(app, cast.message_a),
    })
    assert response.status_code == 302
    message = _message(app, cast.message_a)
    assert message.status == "baru" and message.returned and message.opd_id is None
    assert op.get(f"/opd/show/{cast.message_a}").status_code == 404


def test_operator_list_shows_only_their_opd(app):
    """Does the Operator's list show their OPD's messages and no other OPD's?"""
    with app.app_context():
        cast = make_cast()
    text = signed_in(app, cast.operator_x).get("/opd/list/").get_data(as_text=True)
    assert "Internet kantor desa mati" in text and "Sungai tercemar limbah" not in text


def test_operator_without_an_opd_sees_nothing(app):
    """Does an Operator whose OPD was removed see no message at all, not the unassigned ones?"""
    with app.app_context():
        cast = make_cast()
        make_message(title="Belum diteruskan")
        from app.models import AppUser

        op = db.session.scalar(select(AppUser).where(AppUser.email == cast.operator_x))
        op.opd_id = None
        db.session.commit()
    client = signed_in(app, cast.operator_x)
    text = client.get("/opd/list/").get_data(as_text=True)
    assert "Internet kantor desa mati" not in text and "Belum diteruskan" not in text
    assert client.get(f"/opd/show/{cast.message_a}").status_code == 404


def test_other_opd_gets_404_everywhere(app):
    """Does the DLH operator get 404 on a DISKOMINFO message's page, forms and files?"""
    with app.app_context():
        cast = make_cast()
    op = signed_in(app, cast.operator_y)
    m = cast.message_a
    assert op.get(f"/opd/show/{m}").status_code == 404
    for form in ("start", "progress", "return", "resolve"):
        assert op.post(f"/opd/{form}/{m}", data={}).status_code == 404, form
    assert op.get(f"/lampiran/{cast.attachment_a}").status_code == 404
    assert _message(app, m).status == "diteruskan"


def test_citizen_b_gets_404_on_citizen_a_message(app):
    """Does another citizen get 404 on A's detail, rating and attachment?"""
    with app.app_context():
        cast = make_cast()
    b = signed_in(app, cast.citizen_b)
    assert b.get(f"/pesan/show/{cast.message_a}").status_code == 404
    assert b.post(f"/pesan/rate/{cast.message_a}", data={"stars": "5"}).status_code == 404
    assert b.get(f"/lampiran/{cast.attachment_a}").status_code == 404
    assert "Internet kantor desa mati" not in b.get("/pesan/list/").get_data(as_text=True)


def test_attachment_is_served_as_a_download_without_sniffing(app):
    """Is a file served as an attachment with its name, type and nosniff?"""
    with app.app_context():
        cast = make_cast()
    response = signed_in(app, cast.citizen_a).get(f"/lampiran/{cast.attachment_a}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "foto.png" in disposition


def test_internal_note_files_are_hidden_from_the_citizen(app):
    """Is a file attached to an internal note refused to the citizen but served to staff?"""
    with app.app_context():
        cast = make_cast()
        from app.models import AppUser
        from app.services.uploads import PreparedUpload

        op = db.session.scalar(select(AppUser).where(AppUser.email == cast.operator_x))
        workflow.progress(op, db.session.get(Message, cast.message_a), note="Internal",
                          public=False,
                          uploads=[PreparedUpload("memo.pdf", "pdf", "application/pdf",
                                                  pdf_bytes())])
        note = db.session.scalar(select(StatusChange).where(StatusChange.kind == "note"))
        file_id = note.attachments[0].id
    assert signed_in(app, cast.citizen_a).get(f"/lampiran/{file_id}").status_code == 404
    assert signed_in(app, cast.operator_x).get(f"/lampiran/{file_id}").status_code == 200


def test_confidential_author_is_hidden_from_the_operator(app):
    """Does the Operator see "identity kept confidential" instead of name, email and phone?"""
    with app.app_context():
        citizen = make_user("User", email="tersamar@example.test", name="Siti Tersamar",
                            phone="081234567890")
        message = make_message(citizen, title="Pungli di loket", confidential=True)
        mid = message.id
        forward_to(message, "DISKOMINFO")
        make_user("Operator", email="op@example.test", opd="DISKOMINFO")
        make_user("Admin", email="admin@example.test")
    op = signed_in(app, "op@example.test")
    op.get("/lang/en")
    pages = [op.get(f"/opd/show/{mid}"), op.get("/opd/list/?status=all"), op.get("/")]
    for page in pages:
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        for secret in ("Siti Tersamar", "tersamar@example.test", "081234567890"):
            assert secret not in text
    assert "identity kept confidential" in pages[0].get_data(as_text=True)
    admin_text = signed_in(app, "admin@example.test").get(
        f"/triase/show/{mid}").get_data(as_text=True)
    assert "Siti Tersamar" in admin_text and "081234567890" in admin_text


def test_home_page_shows_each_role_its_counts(app):
    """Does the home page give citizens their buttons and staff their own counts?"""
    with app.app_context():
        cast = make_cast()
        make_message(title="Satu lagi")
    citizen_home = signed_in(app, cast.citizen_a).get("/").get_data(as_text=True)
    assert "/pesan/add" in citizen_home
    admin_home = signed_in(app, cast.admin).get("/").get_data(as_text=True)
    assert 'data-status="baru"' in admin_home
    op_home = signed_in(app, cast.operator_x).get("/").get_data(as_text=True)
    assert 'data-status="diteruskan"' in op_home and 'data-status="baru"' not in op_home
