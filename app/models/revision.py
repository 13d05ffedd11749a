"""The site's page revision: one row, bumped whenever something every page may show
changes (an OPD's or a category's name, the holiday calendar, the service levels, due
dates recomputed). With `AppUser.pages_revision` it tells whether a page drawn earlier
for someone is still what they would see now (app/views/kept_pages.py)."""

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.orm import Mapped, mapped_column

THE_ROW = 1


class PageRevision(Model):
    __tablename__ = "page_revision"
    __table_args__ = (CheckConstraint(f"id = {THE_ROW}", name="ck_page_revision_one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=THE_ROW)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
