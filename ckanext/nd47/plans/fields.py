"""The fields of a plan and of a plan item, declared once.

Each field has its label (an English msgid: forms, pages and the audit trail
show its translation) and, when it is a spreadsheet column, its fixed
Vietnamese and English headers (the file's layout never depends on the
user's language). The update actions, the forms, the import and the export
all take their field lists from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ckanext.nd47.plans.workflow import N_

__all__ = ["ITEM_FIELDS", "PLAN_FIELDS", "Field", "editable", "label_of"]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # Vietnamese / English spreadsheet header; "" when not in the files
    sheet_vi: str = ""
    sheet_en: str = ""
    # set by a person (form, update action, import); others follow the workflow
    editable: bool = True
    # how the form shows it: text, number, date, url, markdown, choice, vocab
    widget: str = "text"
    # the option table (workflow label table or vocabulary) of choice / vocab widgets
    options: str = ""
    placeholder: str = ""
    required: bool = False
    # older Vietnamese headers the import still accepts (files made before a rename)
    sheet_aliases: tuple[str, ...] = ()

    @property
    def in_sheet(self) -> bool:
        return bool(self.sheet_vi)


PLAN_FIELDS: tuple[Field, ...] = (
    Field("owner_org", N_("Agency"), widget="agency", required=True),
    Field(
        "period",
        N_("Period (year)"),
        "Kỳ kế hoạch (năm)",
        "Period (year)",
        widget="number",
        required=True,
        sheet_aliases=("Năm kế hoạch",),
    ),
    Field("title", N_("Title"), "Tên kế hoạch", "Title", placeholder=N_("Open-data plan 2026")),
    Field("version", N_("Version"), "Phiên bản", "Version", widget="number"),
    Field(
        "decision_number",
        N_("Approving decision number"),
        "Số quyết định phê duyệt",
        "Approving decision number",
        placeholder="123/QĐ-UBND",
    ),
    Field("decision_date", N_("Decision date"), "Ngày quyết định", "Decision date", widget="date"),
    Field("decision_signer", N_("Signed by"), "Người ký", "Signed by"),
    Field(
        "decision_url",
        N_("Decision file (link)"),
        "Tệp quyết định (đường dẫn)",
        "Decision file (link)",
        widget="url",
        placeholder="https://",
    ),
    Field("last_review", N_("Last review"), "Ngày rà soát gần nhất", "Last review", widget="date"),
    Field(
        "next_review_due",
        N_("Next review deadline"),
        "Hạn rà soát tiếp theo",
        "Next review deadline",
        widget="date",
    ),
    Field("status", N_("Status"), editable=False),
)

ITEM_FIELDS: tuple[Field, ...] = (
    Field("code", N_("Code"), "Mã", "Code", placeholder="DM01", required=True),
    Field("title", N_("Dataset title"), "Tên dữ liệu", "Dataset title", required=True),
    Field(
        "theme",
        N_("Theme"),
        "Chủ đề",
        "Theme",
        widget="vocab",
        options="themes",
        sheet_aliases=("Lĩnh vực",),
    ),
    Field("description", N_("Description"), "Mô tả", "Description", widget="markdown"),
    Field("source_database", N_("Source database"), "Cơ sở dữ liệu nguồn", "Source database"),
    Field("formats", N_("Formats"), "Định dạng", "Formats", placeholder="CSV, XLSX, JSON"),
    Field(
        "access_mode",
        N_("Access mode"),
        "Hình thức cung cấp",
        "Access mode",
        widget="choice",
        options="access_mode",
    ),
    Field(
        "update_cadence",
        N_("Update cadence"),
        "Tần suất cập nhật",
        "Update cadence",
        widget="vocab",
        options="frequency",
    ),
    Field("due_date", N_("Due date"), "Thời hạn công bố", "Due date", widget="date"),
    Field(
        "priority",
        N_("Priority"),
        "Mức độ ưu tiên",
        "Priority",
        widget="choice",
        options="priority",
    ),
    Field("lead_agency", N_("Lead agency"), "Cơ quan chủ trì", "Lead agency"),
    Field(
        "cooperating_agencies",
        N_("Co-operating agencies"),
        "Cơ quan phối hợp",
        "Co-operating agencies",
    ),
    # linked through nd47_plan_item_link; the files carry the dataset's name
    Field(
        "package_id",
        N_("Linked dataset"),
        "Bộ dữ liệu liên kết",
        "Linked dataset",
        editable=False,
        sheet_aliases=("Tập dữ liệu liên kết",),
    ),
    Field("status", N_("Status"), "Trạng thái (chỉ đọc)", "Status (read only)", editable=False),
    Field("reason_category", N_("Why the data cannot be opened"), editable=False),
)


def editable(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """Names of the fields a person sets."""
    return tuple(f.name for f in fields if f.editable)


def label_of(name: str, object_type: str) -> str:
    """The label msgid of a plan ("plan") or item ("item") field; the name if unknown."""
    fields = ITEM_FIELDS if object_type == "item" else PLAN_FIELDS
    return next((f.label for f in fields if f.name == name), name)
