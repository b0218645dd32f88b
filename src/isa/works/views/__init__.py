"""Pages of the works app: works, exhibitions, a person's works, the public gallery."""

from isa.works.views.exhibitions import (
    exhibition_catalogue,
    exhibition_create,
    exhibition_detail,
    exhibition_edit,
    exhibition_list,
    exhibition_press,
    exhibition_works,
)
from isa.works.views.gallery import gallery, gallery_image, gallery_settings, programme_panel
from isa.works.views.people import credit_edit, file_panel, portfolio, portfolio_pdf, work_items
from isa.works.views.works import (
    work_create,
    work_detail,
    work_edit,
    work_image,
    work_image_add,
    work_image_edit,
    work_list,
    work_state,
)

__all__ = [
    "credit_edit",
    "exhibition_catalogue",
    "exhibition_create",
    "exhibition_detail",
    "exhibition_edit",
    "exhibition_list",
    "exhibition_press",
    "exhibition_works",
    "file_panel",
    "gallery",
    "gallery_image",
    "gallery_settings",
    "portfolio",
    "portfolio_pdf",
    "programme_panel",
    "work_create",
    "work_detail",
    "work_edit",
    "work_image",
    "work_image_add",
    "work_image_edit",
    "work_items",
    "work_list",
    "work_state",
]
