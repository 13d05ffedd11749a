"""Reference data managed by Admins: OPDs, categories and subcategories."""

from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship


class Opd(Model):
    """A regional government agency (Organisasi Perangkat Daerah)."""

    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Unique ignoring case ("DINSOS" and "dinsos" are one OPD): see the indexes below.
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40))
    contact_email: Mapped[Optional[str]] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    def __repr__(self):
        return self.name


class Category(Model):
    """Aspirasi or Pengaduan."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    subcategories: Mapped[list["SubCategory"]] = relationship(
        back_populates="category", order_by="SubCategory.name"
    )

    def __repr__(self):
        return self.name


class SubCategory(Model):
    __tablename__ = "subcategory"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    category: Mapped[Category] = relationship(back_populates="subcategories")

    def __repr__(self):
        return self.name


# Names are unique ignoring case: an index on lower(name), on SQLite and PostgreSQL.
Index("uq_opd_name_lower", func.lower(Opd.name), unique=True)
Index("uq_opd_short_name_lower", func.lower(Opd.short_name), unique=True)
Index("uq_subcategory_category_name_lower", SubCategory.category_id,
      func.lower(SubCategory.name), unique=True)
