"""The forms of the message screens. Rules about *moves* live in the workflow;
these only check that the input is complete and well formed."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..extensions import db
from ..inputs import parse_id
from ..models import Category, Opd, SubCategory
from ..workflow import MAX_TEXT, MAX_TITLE
from .kept_pages import one_time


def _new_key():
    return secrets.token_urlsafe(18)


def _one_time_token():
    return one_time(_new_key)


class MessageForm(FlaskForm):
    """Tambah Pesan: what a citizen sends. `once` makes a resent form (a double click,
    a retry after a lost answer) create one message, not two."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=MAX_TITLE)])
    body = TextAreaField(_l("Message"), validators=[InputRequired(), Length(max=MAX_TEXT)])
    location = StringField(_l("Location (optional)"), validators=[Optional(), Length(max=200)])
    files = MultipleFileField(_l("Attachments (optional)"))
    confidential = BooleanField(_l("Keep my identity confidential"))
    once = HiddenField(default=_one_time_token, validators=[Optional(), Length(max=200)])

    def fresh_token(self):
        self.once.data = _one_time_token()


class _MoveForm(FlaskForm):
    # The version the page was rendered from: a stale page is refused.
    version = HiddenField(validators=[InputRequired()])


def _chosen_id(value):
    """A select's value as a row id; the "Choose…" option (empty) is None."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    number = parse_id(value)
    if number is None:
        raise ValueError(value)  # WTForms: "Not a valid choice"
    return number


def _choose(label):
    """The first option of a select that must be chosen: nothing is preselected."""
    return SelectChoice("", label)


class ForwardForm(_MoveForm):
    """Classify and forward. Nothing is preselected for a new message (an Admin who
    chose only a subcategory would have sent it to the alphabetically first OPD); a
    message forwarded before starts from its current category and subcategory."""

    category = SelectField(_l("Category"), coerce=_chosen_id,
                           validators=[InputRequired(_l("Choose a category."))])
    subcategory = SelectField(_l("Subcategory"), coerce=_chosen_id,
                              validators=[InputRequired(_l("Choose a subcategory."))])
    opd = SelectField(_l("OPD"), coerce=_chosen_id,
                      validators=[InputRequired(_l("Choose the OPD to forward to."))])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_TEXT)])

    def __init__(self, *args, message=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = db.session.scalars(select(Category).order_by(Category.name)).all()
        self.category.choices = [_choose(_l("Choose a category…")),
                                 *(SelectChoice(c.id, c.name) for c in categories)]
        # Only active subcategories and OPDs are offered, and so only they validate.
        self.subcategory_groups = [
            (c, [s for s in c.subcategories if s.active]) for c in categories
        ]
        self.subcategory.choices = [_choose(_l("Choose…")), *(
            SelectChoice(s.id, s.name, optgroup=c.name)
            for c, subs in self.subcategory_groups for s in subs
        )]
        opds = db.session.scalars(select(Opd).where(Opd.active.is_(True)).order_by(Opd.name))
        self.opd.choices = [_choose(_l("Choose an OPD…")),
                            *(SelectChoice(o.id, o.name) for o in opds)]
        if message is not None and not self.is_submitted():
            self.category.data = message.category_id
            self.subcategory.data = message.subcategory_id
            self.opd.data = None  # re-forwarding goes to another OPD: chosen anew

    def chosen(self):
        """The category, subcategory and OPD rows the form names."""
        return (
            db.session.get(Category, self.category.data),
            db.session.get(SubCategory, self.subcategory.data),
            db.session.get(Opd, self.opd.data),
        )


class ReasonForm(_MoveForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=MAX_TEXT)])


class InstructForm(_MoveForm):
    instruction = TextAreaField(_l("Instruction for the OPD"),
                                validators=[InputRequired(), Length(max=MAX_TEXT)])


class StartForm(_MoveForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_TEXT)])


class ProgressForm(_MoveForm):
    note = TextAreaField(_l("Update"), validators=[InputRequired(), Length(max=MAX_TEXT)])
    visibility = RadioField(
        _l("Who can read it"),
        choices=[
            SelectChoice("public", _l("The citizen and staff (public update)")),
            SelectChoice("internal", _l("Staff only (internal note)")),
        ],
        default="public",
        validators=[InputRequired()],
    )
    files = MultipleFileField(_l("Attachments (optional)"))


class ResolveForm(_MoveForm):
    resolution = TextAreaField(_l("Resolution"),
                               validators=[InputRequired(), Length(max=MAX_TEXT)])
    files = MultipleFileField(_l("Supporting files (optional)"))


class QuestionForm(_MoveForm):
    question = TextAreaField(_l("Question to the sender"),
                             validators=[InputRequired(), Length(max=MAX_TEXT)])


# --- the sender's moves (app/views/voice.py) ----------------------------------------

class AnswerForm(_MoveForm):
    text = TextAreaField(_l("Your answer"), validators=[InputRequired(), Length(max=MAX_TEXT)])
    files = MultipleFileField(_l("Attachments (optional)"))


class InfoForm(_MoveForm):
    text = TextAreaField(_l("Additional information"),
                         validators=[InputRequired(), Length(max=MAX_TEXT)])
    files = MultipleFileField(_l("Attachments (optional)"))


class ReopenForm(_MoveForm):
    reason = TextAreaField(_l("What is still not solved?"),
                           validators=[InputRequired(), Length(max=MAX_TEXT)])


class AppealForm(_MoveForm):
    reason = TextAreaField(_l("Why should the rejection be reconsidered?"),
                           validators=[InputRequired(), Length(max=MAX_TEXT)])


class WithdrawForm(_MoveForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=MAX_TEXT)])


# Each choice of the rating says what it means, so that nobody has to guess which end
# of the scale is good.
RATING_LABELS = {
    1: _l("1 — very dissatisfied"),
    2: _l("2 — dissatisfied"),
    3: _l("3 — neither satisfied nor dissatisfied"),
    4: _l("4 — satisfied"),
    5: _l("5 — very satisfied"),
}


class RatingForm(FlaskForm):
    stars = RadioField(
        _l("Your rating"),
        choices=[SelectChoice(str(n), label) for n, label in RATING_LABELS.items()],
        validators=[InputRequired(message=_l("Choose from 1 to 5 stars."))],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)])
