"""The site the fuzz suite attacks: a cast with messages in every status (so that every
move form shows), objects to aim destructive forms at, and one signed-in client per
kind of person, signed in again whenever a fuzzed form ended its session."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_appbuilder import ModelView
from flask_appbuilder.security.sqla.models import Group
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app import workflow
from app.accounts import tokens
from app.accounts.service import set_password
from app.extensions import db
from app.models import AppUser, Category, HolidayOverride, Opd, ServiceLevel, SubCategory

from ..conftest import DEFAULT_PASSWORD
from ..factories import forward_to, make_message, make_user
from .fuzz import Field, Form, form_fields_of, local_path, multipart, parse_page, with_query
from .web import make_cast

# FAB's list arguments: a crawler following them would walk every page and sort order.
LIST_ARGUMENT_MARKS = ("_flt_", "_oc_", "_od_", "page_", "psize_")
# Links a crawler must not follow: they end the session or change data on GET.
NO_FOLLOW = {"AspirasiAuthView.logout", "LocaleView.index", "UtilView.back"}
MAX_PAGES_PER_PERSON = 200
REPORT = "/reports/?preset=custom&first=2026-01-01&last=2026-01-31"


@dataclass
class People:
    emails: dict  # role -> email (no entry: anonymous)
    victims: dict  # model -> id of the row destructive forms are aimed at
    seeds: dict = field(default_factory=dict)  # role -> extra start pages


def cast_everything():
    """The people, a message in every status, and rows made to be edited. In an app
    context."""
    cast = make_cast()
    admin = db.session.scalar(select(AppUser).where(AppUser.email == cast.admin))
    operator = db.session.scalar(select(AppUser).where(AppUser.email == cast.operator_x))
    citizen = db.session.scalar(select(AppUser).where(AppUser.email == cast.citizen_a))
    make_message(citizen, title="Lampu jalan padam")  # baru
    workflow.escalate(admin, make_message(citizen, title="Tidak jelas"), reason="OPD?")
    in_progress = make_message(citizen, title="Sampah menumpuk")
    forward_to(in_progress, "DISKOMINFO", admin=admin)
    workflow.start(operator, in_progress)
    done = make_message(citizen, title="Jaringan lambat")
    forward_to(done, "DISKOMINFO", admin=admin)
    workflow.start(operator, done)
    workflow.resolve(operator, done, resolution="Sudah diperbaiki.")  # reopen
    waiting = make_message(citizen, title="Pohon tumbang")  # a question to answer
    forward_to(waiting, "DISKOMINFO", admin=admin)
    workflow.ask(operator, waiting, question="Di mana tepatnya?")
    workflow.reject(admin, make_message(citizen, title="Pesan ganda"), reason="Duplikat")
    unverified = make_user("User", email="belum@example.test", verified=False)
    victim = make_user("User", email="korban@example.test")
    pengaduan = db.session.scalar(select(Category).where(Category.code == "pengaduan"))
    opd = Opd(name="Dinas Uji Acak", short_name="UJIACAK", active=True)
    sub = SubCategory(category=pengaduan, name="Uji Acak", active=True)
    group = Group(name="uji-acak", label="Uji acak")
    from datetime import date

    holiday = HolidayOverride(day=date(2026, 1, 9), name="Hari Uji Acak")
    level = ServiceLevel(category=pengaduan, triage_days=3, response_days=5,
                         resolution_days=14)
    db.session.add_all([opd, sub, group, holiday, level])
    db.session.commit()
    return People(
        emails={"citizen": cast.citizen_a, "admin": cast.admin, "super_admin": cast.super_admin,
                "operator": cast.operator_x, "unverified": unverified.email},
        victims={Opd: opd.id, SubCategory: sub.id, AppUser: victim.id, Group: group.id,
                 HolidayOverride: holiday.id, ServiceLevel: level.id},
        seeds={
            "anonymous": [f"/account/verify/{tokens.make_verify_token(unverified)}",
                          f"/account/reset-password/{tokens.make_reset_token(victim)}"],
            "unverified": ["/account/verify-notice"],
            # FAB's own self-service forms: no working link leads to them any more.
            "super_admin": ["/resetmypassword/form", "/userinfoeditview/form",
                            f"/resetpassword/form?pk={victim.id}", REPORT],
            # The export links carry the period's arguments once one is chosen.
            "admin": [REPORT], "operator": [REPORT],
        },
    )


class Site:
    def __init__(self, app, people):
        self.app = app
        self.people = people
        self.clients = {}
        self.adapter = app.url_map.bind("localhost")
        self.model_views = {view.blueprint.name: view for view in app.appbuilder.baseviews
                            if isinstance(view, ModelView)}

    @property
    def roles(self):
        return ("anonymous", *self.people.emails)

    # --- clients ---------------------------------------------------------------

    def client(self, role):
        if role not in self.clients:
            self.clients[role] = self._signed_in(role)
        return self.clients[role]

    def _signed_in(self, role):
        client = self.app.test_client()
        email = self.people.emails.get(role)
        if email is None:
            return client
        with self.app.app_context():
            user = db.session.scalar(select(AppUser).where(AppUser.email == email))
            user.active = True
            set_password(user, DEFAULT_PASSWORD)  # a fuzzed form may have changed it
            db.session.commit()
        response = client.post("/login/", data={"username": email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302, f"{role} could not sign in again"
        return client

    def still_signed_in(self, role):
        """Sign `role` in again if a fuzzed form ended its session."""
        if role in ("anonymous", "unverified") or role not in self.clients:
            return
        response = self.clients[role].get("/profile/")
        if response.status_code != 200:
            self.clients[role] = self._signed_in(role)

    # --- requests --------------------------------------------------------------

    def send(self, role, method, url, pairs=(), files=(), multipart_body=False):
        client = self.client(role)
        if method == "GET":
            return client.get(with_query(url, pairs) if pairs else url)
        if multipart_body or files:
            body, content_type = multipart(pairs, files)
        else:
            body, content_type = with_query("", pairs)[1:].encode("ascii"), \
                "application/x-www-form-urlencoded"
        return client.open(url, method=method, data=body, content_type=content_type)

    def endpoint(self, url, method="GET"):
        """(endpoint, view args) of a site path, or (None, {})."""
        try:
            return self.adapter.match(urlsplit(url).path, method=method)
        except RequestRedirect as redirect:
            return self.endpoint(redirect.new_url, method)
        except HTTPException:
            return None, {}

    # --- finding forms ---------------------------------------------------------

    def crawl(self, role):
        """{endpoint: Form} of every form `role` meets on its pages, and the links
        with query arguments (which are forms too: /reports/export/csv?preset=…)."""
        start = ["/", "/profile/", *self.people.seeds.get(role, ())]
        start += [self.adapter.build(f"{name}.list") for name in sorted(self.model_views)]
        queue, seen, forms = list(start), set(), {}
        while queue and len(seen) < MAX_PAGES_PER_PERSON:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = self.client(role).get(url)
            if response.status_code in (301, 302, 303):  # /users/action/… → a form page
                target = local_path(response.headers["Location"], urlsplit(url).path)
                if target and not target.startswith("/login"):
                    queue.append(target)
                continue
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            page_forms, links = parse_page(urlsplit(url).path, response.get_data(as_text=True))
            for form in page_forms:
                self._keep_form(forms, form, url)
            for href in links:
                path = local_path(href, urlsplit(url).path)
                if path is None or any(mark in path for mark in LIST_ARGUMENT_MARKS):
                    continue
                endpoint, _args = self.endpoint(path)
                if endpoint and endpoint not in NO_FOLLOW and not endpoint.endswith(".delete"):
                    queue.append(path)
                    if "?" in path and not endpoint.endswith(".list"):
                        forms.setdefault(endpoint, _link_form(path, form_fields_of(path)))
        return forms

    def _keep_form(self, forms, form, page_url):
        action = local_path(form.action, urlsplit(page_url).path)
        if action is None:
            return
        endpoint, _args = self.endpoint(action, form.method)
        if endpoint is None or endpoint.endswith(".list"):
            return  # FAB's search form: the list fuzz covers it
        form.action = self.aimed_at_victims(action, endpoint, form.method)
        forms.setdefault(endpoint, form)

    def aimed_at_victims(self, action, endpoint, method):
        """The action with its row id replaced by the row made to be edited."""
        _endpoint, args = self.endpoint(action, method)
        view = self.model_views.get(endpoint.partition(".")[0])
        victims = self.people.victims
        if view is not None and "pk" in args and view.datamodel.obj in victims:
            args = {**args, "pk": victims[view.datamodel.obj]}
            return self.adapter.build(endpoint, args)
        if endpoint.startswith("ResetPasswordView."):
            return with_query(urlsplit(action).path, [("pk", str(victims[AppUser]))])
        return action


def _link_form(path, fields):
    return Form(urlsplit(path).path, "GET", False,
                [Field(name, "text", value) for name, value in fields])

