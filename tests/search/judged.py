"""A judged set for Vietnamese search: realistic datasets, queries, graded relevance.

Shared by tests/search/test_ranking.py and bench/bench_search.py. The
datasets are generated from topics (what a dataset is about) and places
(ten provinces and cities), so that many words are ambiguous once their
diacritics are dropped (bán/ban/bạn, đá/da/Đà Nẵng, thuế/thuê, mưa/mua/mùa,
cầu/câu, dầu/đầu, lương/lương thực/lượng) and many titles share syllables
that are scattered in one and adjacent in another. Each query lists rules:
a dataset gets the highest grade (0-3) of the rules it matches, 0 if none.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from typing import Any

from ckanext.nd47.text import fold

PLACES = [
    "Hà Nội",
    "Đà Nẵng",
    "Nghệ An",
    "Cần Thơ",
    "Lào Cai",
    "Quảng Ninh",
    "Hải Phòng",
    "Lâm Đồng",
    "Đồng Nai",
    "Thanh Hóa",
]

# sector key -> agency title (the place is appended)
SECTORS = {
    "tc": "Sở Tài chính",
    "tn": "Sở Tài nguyên và Môi trường",
    "gt": "Sở Giao thông vận tải",
    "yt": "Sở Y tế",
    "ct": "Sở Công Thương",
    "nn": "Sở Nông nghiệp và Phát triển nông thôn",
    "nv": "Sở Nội vụ",
    "tk": "Cục Thống kê",
    "vh": "Sở Văn hóa, Thể thao và Du lịch",
    "xd": "Sở Xây dựng",
    "ld": "Sở Lao động - Thương binh và Xã hội",
    "thue": "Cục Thuế",
    "tt": "Sở Thông tin và Truyền thông",
    "gd": "Sở Giáo dục và Đào tạo",
}

# concept -> (sector, title templates, description template, tags)
TOPICS: dict[str, tuple[str, list[str], str, list[str]]] = {
    "stone": (
        "tn",
        [
            "Danh sách mỏ đá vôi {p}",
            "Sản lượng khai thác đá xây dựng {p}",
            "Giấy phép khai thác đá {p}",
        ],
        "Các mỏ đá được cấp phép khai thác trên địa bàn {p}: vị trí, trữ lượng, công suất năm {y}.",
        ["khoáng sản"],
    ),
    "leather": (
        "ct",
        ["Kim ngạch xuất khẩu da giày {p}", "Doanh nghiệp ngành da giày {p}"],
        "Số liệu sản xuất và xuất khẩu sản phẩm da, giày dép của doanh nghiệp tại {p} năm {y}.",
        ["công nghiệp"],
    ),
    "football": (
        "vh",
        ["Giải bóng đá phong trào {p}", "Sân bóng đá công cộng {p}"],
        "Danh sách sân bóng đá, câu lạc bộ và giải đấu phong trào tại {p} năm {y}.",
        ["thể thao"],
    ),
    "general_hospital": (
        "yt",
        ["Bệnh viện đa khoa tuyến huyện {p}", "Phòng khám đa khoa tư nhân {p}"],
        "Tên, địa chỉ, số giường và chuyên khoa của cơ sở đa khoa tại {p}, cập nhật năm {y}.",
        ["y tế"],
    ),
    "health_facility": (
        "yt",
        ["Danh sách cơ sở khám bệnh, chữa bệnh {p}", "Trạm y tế xã {p}"],
        "Cơ sở khám bệnh, chữa bệnh được cấp phép hoạt động tại {p} năm {y}.",
        ["y tế"],
    ),
    "retail": (
        "ct",
        ["Doanh thu bán lẻ hàng hóa {p}", "Chợ và siêu thị bán lẻ {p}"],
        "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng tại {p} năm {y}.",
        ["thương mại"],
    ),
    "fuel_retail": (
        "ct",
        ["Giá bán lẻ xăng dầu {p}", "Cửa hàng bán lẻ xăng dầu {p}"],
        "Giá bán lẻ xăng, dầu diesel và mạng lưới cửa hàng tại {p} năm {y}.",
        ["thương mại", "năng lượng"],
    ),
    "issuance": (
        "nv",
        ["Văn bản quy phạm pháp luật ban hành {p}", "Thủ tục hành chính được ban hành {p}"],
        "Danh mục văn bản do Hội đồng nhân dân, Ủy ban nhân dân {p} ban hành năm {y}.",
        ["văn bản"],
    ),
    "board": (
        "xd",
        ["Ban quản lý các khu công nghiệp {p}", "Ban quản lý dự án đầu tư xây dựng {p}"],
        "Cơ cấu tổ chức, nhiệm vụ và các dự án do ban quản lý tại {p} phụ trách năm {y}.",
        ["tổ chức"],
    ),
    "readers": (
        "vh",
        ["Số lượt bạn đọc thư viện {p}", "Thẻ bạn đọc thư viện tỉnh {p}"],
        "Số bạn đọc, lượt mượn sách và tài liệu của thư viện {p} năm {y}.",
        ["văn hóa"],
    ),
    "tax": (
        "thue",
        [
            "Thu thuế thu nhập cá nhân {p}",
            "Doanh nghiệp nợ thuế {p}",
            "Thuế sử dụng đất nông nghiệp {p}",
        ],
        "Số thu thuế theo sắc thuế và đối tượng nộp thuế tại {p} năm {y}.",
        ["tài chính"],
    ),
    "rent": (
        "tn",
        ["Giá thuê đất {p}", "Nhà ở xã hội cho thuê {p}", "Hợp đồng thuê đất khu công nghiệp {p}"],
        "Đơn giá cho thuê, thời hạn và diện tích cho thuê tại {p} năm {y}.",
        ["đất đai"],
    ),
    "subscriber": (
        "tt",
        ["Số thuê bao internet băng rộng {p}", "Thuê bao điện thoại di động {p}"],
        "Số thuê bao phát triển mới và đang hoạt động tại {p} năm {y}.",
        ["viễn thông"],
    ),
    "rain": (
        "tn",
        ["Lượng mưa tại các trạm khí tượng {p}", "Dự báo mưa lớn {p}"],
        "Tổng lượng mưa ngày, tháng đo tại các trạm khí tượng thủy văn {p} năm {y}.",
        ["khí tượng"],
    ),
    "purchase": (
        "tc",
        ["Kế hoạch mua sắm công {p}", "Kết quả đấu thầu mua sắm thuốc {p}"],
        "Danh mục gói thầu mua sắm tài sản, hàng hóa của cơ quan nhà nước tại {p} năm {y}.",
        ["tài chính"],
    ),
    "season": (
        "nn",
        ["Lịch mùa vụ lúa {p}", "Diện tích gieo trồng vụ mùa {p}"],
        "Khung lịch thời vụ gieo cấy và thu hoạch lúa tại {p} năm {y}.",
        ["nông nghiệp"],
    ),
    "bridge": (
        "gt",
        ["Danh mục cầu trên đường bộ {p}", "Tình trạng kỹ thuật cầu yếu {p}"],
        "Tên cầu, lý trình, tải trọng và tình trạng kỹ thuật các cầu tại {p} năm {y}.",
        ["giao thông"],
    ),
    "question": (
        "nv",
        ["Câu hỏi thường gặp về thủ tục hành chính {p}", "Giải đáp câu hỏi của người dân {p}"],
        "Các câu hỏi và trả lời về thủ tục hành chính tại {p} năm {y}.",
        ["hành chính"],
    ),
    "demand": (
        "ld",
        ["Nhu cầu tuyển dụng lao động {p}", "Dự báo nhu cầu nhân lực {p}"],
        "Nhu cầu tuyển dụng theo ngành nghề và trình độ tại {p} năm {y}.",
        ["lao động"],
    ),
    "oil": (
        "ct",
        ["Kho xăng dầu {p}", "Tiêu thụ dầu diesel {p}"],
        "Sức chứa kho, lượng dầu nhập và tiêu thụ tại {p} năm {y}.",
        ["năng lượng"],
    ),
    "investment": (
        "tc",
        ["Dự án đầu tư công {p}", "Kế hoạch vốn đầu tư công trung hạn {p}"],
        "Danh mục dự án, tổng mức đầu tư và giải ngân vốn tại {p} năm {y}.",
        ["đầu tư"],
    ),
    "fdi": (
        "tc",
        ["Doanh nghiệp có vốn đầu tư nước ngoài {p}", "Dự án đầu tư trực tiếp nước ngoài {p}"],
        "Số dự án, vốn đăng ký của nhà đầu tư nước ngoài tại {p} năm {y}.",
        ["đầu tư"],
    ),
    "per_capita": (
        "tk",
        ["Thu nhập bình quân đầu người {p}", "GRDP bình quân đầu người {p}"],
        "Thu nhập, tổng sản phẩm bình quân đầu người một tháng tại {p} năm {y}.",
        ["thống kê"],
    ),
    "wages": (
        "ld",
        [
            "Bảng lương cán bộ, công chức {p}",
            "Quỹ tiền lương khu vực hành chính {p}",
            "Mức lương tối thiểu vùng {p}",
        ],
        "Mức lương, phụ cấp và quỹ lương chi trả tại {p} năm {y}.",
        ["lao động"],
    ),
    "grain": (
        "nn",
        ["Sản lượng lương thực có hạt {p}", "An ninh lương thực hộ gia đình {p}"],
        "Diện tích, năng suất và sản lượng lương thực tại {p} năm {y}.",
        ["nông nghiệp"],
    ),
    "air_quality": (
        "tn",
        ["Chất lượng không khí {p}", "Chỉ số chất lượng không khí AQI {p}"],
        "Kết quả quan trắc bụi mịn, khí thải và chỉ số chất lượng không khí tại {p} năm {y}.",
        ["môi trường"],
    ),
    "water_quality": (
        "tn",
        ["Quan trắc chất lượng nước mặt {p}", "Chất lượng nước sinh hoạt {p}"],
        "Kết quả phân tích mẫu nước sông, hồ và nước cấp tại {p} năm {y}.",
        ["môi trường"],
    ),
    "budget": (
        "tc",
        ["Dự toán ngân sách tỉnh {p} năm 2025", "Quyết toán ngân sách {p} năm 2024"],
        "Thu, chi ngân sách địa phương theo lĩnh vực của {p}.",
        ["tài chính"],
    ),
    "population": (
        "tk",
        ["Dân số trung bình {p}", "Dân số theo giới tính và độ tuổi {p}"],
        "Dân số trung bình, mật độ dân số theo đơn vị hành chính của {p} năm {y}.",
        ["thống kê"],
    ),
    "ethnic": (
        "nv",
        ["Đồng bào dân tộc thiểu số {p}", "Chính sách hỗ trợ dân tộc thiểu số {p}"],
        "Số hộ, số nhân khẩu người dân tộc thiểu số và chính sách hỗ trợ tại {p} năm {y}.",
        ["xã hội"],
    ),
    "road_traffic": (
        "gt",
        ["Tai nạn giao thông đường bộ {p}", "Mạng lưới giao thông đường bộ {p}"],
        "Số vụ tai nạn, chiều dài và cấp đường của mạng lưới đường bộ tại {p} năm {y}.",
        ["giao thông"],
    ),
    "rural_roads": (
        "nn",
        ["Đường giao thông nông thôn {p}", "Bê tông hóa đường giao thông nông thôn {p}"],
        "Chiều dài đường thôn, xóm được cứng hóa tại {p} năm {y}.",
        ["nông thôn mới"],
    ),
    "diabetes": (
        "yt",
        ["Người bệnh tiểu đường được quản lý {p}", "Sàng lọc bệnh tiểu đường {p}"],
        "Số người bệnh đái tháo đường được phát hiện và quản lý tại {p} năm {y}.",
        ["y tế"],
    ),
    "school": (
        "gd",
        ["Danh sách trường học {p}", "Trường học đạt chuẩn quốc gia {p}"],
        "Tên trường, cấp học, số lớp, số học sinh tại {p} năm học {y}.",
        ["giáo dục"],
    ),
    "environment": (
        "tn",
        ["Quan trắc môi trường {p}", "Xử phạt vi phạm hành chính về môi trường {p}"],
        "Kết quả quan trắc và xử lý vi phạm về bảo vệ môi trường tại {p} năm {y}.",
        ["môi trường"],
    ),
    "market": (
        "ct",
        ["Giá cả thị trường {p}", "Chỉ số giá tiêu dùng trên thị trường {p}"],
        "Giá bình quân các mặt hàng thiết yếu trên thị trường {p} năm {y}.",
        ["thương mại"],
    ),
    "water_resource": (
        "tn",
        ["Tài nguyên nước mặt {p}", "Giấy phép khai thác tài nguyên nước {p}"],
        "Trữ lượng, chất lượng nguồn nước và giấy phép khai thác nước tại {p} năm {y}.",
        ["tài nguyên"],
    ),
    "food_safety": (
        "yt",
        ["Cơ sở đủ điều kiện an toàn thực phẩm {p}", "Vụ ngộ độc thực phẩm {p}"],
        "Cơ sở sản xuất, kinh doanh thực phẩm được cấp giấy chứng nhận an toàn tại {p} năm {y}.",
        ["y tế"],
    ),
}

DATASETS_PER_TOPIC = 9
# One decision of each province approves its open-data list.
DECISIONS = [f"{123 + 100 * i}/QĐ-UBND" for i in range(len(PLACES))]
# National documents cited by the datasets of some topics.
NATIONAL = {"budget": "13/2023/TT-BTC", "tax": "45/2020/NĐ-CP", "purchase": "24/2024/NĐ-CP"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")[:90]


def agency_key(sector: str, place_index: int) -> str:
    return f"{sector}-{place_index}"


def agency_identifier(sector: str, place_index: int) -> str:
    return (
        f"000.{list(SECTORS).index(sector) + 10:02d}.{place_index + 30:02d}.H{place_index + 20:02d}"
    )


def datasets() -> list[dict[str, Any]]:
    """Every dataset of the set, with its concept, place and agency key."""
    items = []
    for t, (concept, (sector, titles, notes, tags)) in enumerate(TOPICS.items()):
        for j in range(DATASETS_PER_TOPIC):
            place_index = (t + j) % len(PLACES)
            place = PLACES[place_index]
            title = titles[j % len(titles)].format(p=place)
            year = 2019 + (t + j) % 7
            name = slug(title)
            agency = agency_key(sector, place_index)
            legal = [
                {
                    "number": DECISIONS[place_index],
                    "title": "Quyết định ban hành danh mục dữ liệu mở",
                }
            ]
            if concept in NATIONAL:
                legal.append({"number": NATIONAL[concept], "title": "Văn bản quy định chung"})
            item = {
                "name": name,
                "title": title,
                "notes": notes.format(p=place, y=year),
                "tags": tags,
                "concept": concept,
                "place": place,
                "agency": agency,
                "identifier": f"{agency_identifier(sector, place_index)}/{name}",
                "legal_basis": legal,
            }
            items.append(item)
    # one dataset cites a decision whose number begins like another's
    items[0]["notes"] += " Cập nhật theo Quyết định số 1234/QĐ-UBND."
    items[5]["alternate_identifier"] = ["DMDL-HN-2025-017"]
    return items


def agencies() -> dict[str, dict[str, Any]]:
    """Every agency the datasets name: key -> title, name, identifier."""
    found = {}
    for item in datasets():
        sector, place_index = item["agency"].rsplit("-", 1)
        title = f"{SECTORS[sector]} {PLACES[int(place_index)]}"
        found[item["agency"]] = {
            "name": slug(title),
            "title": title,
            "agency_identifier": agency_identifier(sector, int(place_index)),
        }
    return found


def _c(concept: str, grade: int = 3, **more: str) -> dict[str, Any]:
    return {"grade": grade, "concept": concept, **more}


# query -> rules; a rule's keys (but grade) must all match the dataset:
# concept, place, title (a substring of the title), name, agency, decision.
QUERIES: dict[str, list[dict[str, Any]]] = {
    # typed with diacritics, ambiguous without them
    "đá": [_c("stone"), _c("football", 1)],
    "mỏ đá": [_c("stone", title="mỏ đá"), _c("stone", 2)],
    "khai thác đá": [_c("stone", title="khai thác đá"), _c("stone", 2)],
    "đá vôi": [_c("stone", title="đá vôi"), _c("stone", 1)],
    "da giày": [_c("leather")],
    "bóng đá": [_c("football")],
    "Đà Nẵng": [{"grade": 3, "place": "Đà Nẵng"}],
    "đa khoa": [_c("general_hospital")],
    "bệnh viện đa khoa": [_c("general_hospital", title="Bệnh viện"), _c("general_hospital", 1)],
    "khám chữa bệnh": [_c("health_facility"), _c("general_hospital", 1)],
    "bán lẻ": [_c("retail"), _c("fuel_retail")],
    "giá bán lẻ": [_c("fuel_retail", title="Giá bán lẻ"), _c("fuel_retail", 2), _c("retail", 2)],
    "ban hành": [_c("issuance")],
    "ban quản lý": [_c("board")],
    "bạn đọc": [_c("readers")],
    "thuế": [_c("tax")],
    "thuê": [_c("rent"), _c("subscriber", 1)],
    "thuê đất": [_c("rent", title="thuê đất"), _c("rent", 1)],
    "thuế đất": [_c("tax", title="đất"), _c("tax", 1)],
    "thuê bao": [_c("subscriber")],
    "mưa": [_c("rain")],
    "lượng mưa": [_c("rain")],
    "mưa lớn": [_c("rain", title="mưa lớn"), _c("rain", 1)],
    "mua sắm": [_c("purchase")],
    "mua sắm công": [_c("purchase", title="mua sắm công"), _c("purchase", 1)],
    "mùa vụ": [_c("season")],
    "cầu": [_c("bridge")],
    "cầu yếu": [_c("bridge", title="cầu yếu"), _c("bridge", 1)],
    "câu hỏi": [_c("question")],
    "câu hỏi thường gặp": [_c("question", title="thường gặp"), _c("question", 1)],
    "nhu cầu lao động": [_c("demand")],
    "nhu cầu": [_c("demand")],
    "dầu": [_c("oil"), _c("fuel_retail", 2)],
    "xăng dầu": [_c("fuel_retail"), _c("oil", title="xăng dầu")],
    "đầu tư": [_c("investment"), _c("fdi"), _c("board", 1, title="đầu tư")],
    "đầu tư công": [_c("investment")],
    "bình quân đầu người": [_c("per_capita")],
    "lương": [_c("wages")],
    "tiền lương": [_c("wages", title="tiền lương"), _c("wages", 2)],
    "lương tối thiểu": [_c("wages", title="tối thiểu"), _c("wages", 1)],
    "lương thực": [_c("grain")],
    "chất lượng không khí": [_c("air_quality")],
    "chất lượng nước": [_c("water_quality"), _c("water_resource", 1)],
    "ngân sách: 2025": [_c("budget", title="2025"), _c("budget", 1)],
    "dự toán ngân sách": [_c("budget", title="Dự toán"), _c("budget", 1)],
    "quyết toán ngân sách": [_c("budget", title="Quyết toán"), _c("budget", 1)],
    "dân số": [_c("population")],
    "dân tộc thiểu số": [_c("ethnic")],
    "giao thông đường bộ": [_c("road_traffic"), _c("bridge", 1, title="đường bộ")],
    "tai nạn giao thông": [_c("road_traffic", title="Tai nạn"), _c("road_traffic", 1)],
    "đường giao thông nông thôn": [_c("rural_roads")],
    "tiểu đường": [_c("diabetes")],
    "trường học": [_c("school")],
    "môi trường": [_c("environment"), _c("air_quality", 1), _c("water_quality", 1)],
    "thị trường": [_c("market")],
    "tài nguyên nước": [_c("water_resource")],
    "nước ngoài": [_c("fdi")],
    "an toàn thực phẩm": [_c("food_safety", title="an toàn"), _c("food_safety", 2)],
    "ngộ độc thực phẩm": [_c("food_safety", title="ngộ độc"), _c("food_safety", 1)],
    # a topic in a place
    "lượng mưa Đà Nẵng": [_c("rain", place="Đà Nẵng"), _c("rain", 1)],
    "mỏ đá Nghệ An": [_c("stone", place="Nghệ An"), _c("stone", 1)],
    "dân số Hà Nội": [_c("population", place="Hà Nội"), _c("population", 1)],
    "thuế Cần Thơ": [_c("tax", place="Cần Thơ"), _c("tax", 1)],
    "lương Hải Phòng": [_c("wages", place="Hải Phòng"), _c("wages", 1)],
    "cầu Lào Cai": [_c("bridge", place="Lào Cai"), _c("bridge", 1)],
    "Sở Tài chính Hà Nội": [{"grade": 3, "agency": "tc-0"}],
    # typed without diacritics: as before, adjacent syllables first
    "luong thuc": [_c("grain")],
    "khai thac da": [_c("stone", title="khai thác đá"), _c("stone", 2)],
    "da giay": [_c("leather")],
    "ngan sach 2025": [_c("budget", title="2025"), _c("budget", 1)],
    "giao thong duong bo": [_c("road_traffic"), _c("bridge", 1, title="đường bộ")],
    "an toan thuc pham": [_c("food_safety", title="an toàn"), _c("food_safety", 2)],
    "dan so": [_c("population")],
    "truong hoc": [_c("school")],
    "chat luong khong khi": [_c("air_quality")],
    "tai nguyen nuoc": [_c("water_resource")],
    "ban quan ly": [_c("board")],
    "thue bao": [_c("subscriber")],
    "mua sam cong": [_c("purchase", title="mua sắm công"), _c("purchase", 1)],
    "dau tu cong": [_c("investment")],
    "luong mua": [_c("rain")],
    "ha noi": [{"grade": 3, "place": "Hà Nội"}],
    "cau hoi thuong gap": [_c("question", title="thường gặp"), _c("question", 1)],
    "binh quan dau nguoi": [_c("per_capita")],
    # codes: document numbers, agency and dataset identifiers
    "123/QĐ-UBND": [{"grade": 3, "decision": "123/QĐ-UBND"}],
    "523/QĐ-UBND": [{"grade": 3, "decision": "523/QĐ-UBND"}],
    "1234/QĐ-UBND": [{"grade": 3, "name": "__first__"}],
    "13/2023/TT-BTC": [_c("budget")],
    "45/2020/NĐ-CP": [_c("tax")],
    "quyết định 323/QĐ-UBND": [{"grade": 3, "decision": "323/QĐ-UBND"}],
    "DMDL-HN-2025-017": [{"grade": 3, "name": "__sixth__"}],
}


def agency_queries() -> dict[str, list[dict[str, Any]]]:
    """An agency identifier finds the agency's datasets."""
    keys = ["tc-0", "tn-1", "yt-3", "gt-4"]
    return {agency_identifier(*_split(key)): [{"grade": 3, "agency": key}] for key in keys}


def _split(key: str) -> tuple[str, int]:
    sector, place_index = key.rsplit("-", 1)
    return sector, int(place_index)


def dataset_queries(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A dataset identifier finds that dataset."""
    return {
        items[i]["identifier"]: [{"grade": 3, "name": items[i]["name"]}]
        for i in (3, 77, 150, 290)
        if i < len(items)
    }


def queries(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Every query of the set with its rules."""
    special = {"__first__": items[0]["name"], "__sixth__": items[5]["name"]}
    found = {}
    for query, rules in {**QUERIES, **agency_queries(), **dataset_queries(items)}.items():
        found[query] = [
            {k: special.get(v, v) if k == "name" else v for k, v in rule.items()} for rule in rules
        ]
    return found


def grade(item: dict[str, Any], rules: list[dict[str, Any]]) -> int:
    best = 0
    for rule in rules:
        if all(_matches(item, key, value) for key, value in rule.items() if key != "grade"):
            best = max(best, rule["grade"])
    return best


def _matches(item: dict[str, Any], key: str, value: str) -> bool:
    if key == "title":
        return value.lower() in item["title"].lower()
    if key == "decision":
        return value in [basis["number"] for basis in item["legal_basis"]]
    return item[key] == value


def ndcg_at_10(ranked: list[int], all_grades: list[int]) -> float:
    """nDCG@10 with gains 2^grade - 1 over the ideal order of every judged dataset."""

    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:10]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked) / ideal if ideal else 1.0


def reciprocal_rank(ranked: list[int]) -> float:
    """1 / the rank of the first dataset of grade 2 or more (0 if none in the results)."""
    for i, g in enumerate(ranked):
        if g >= 2:
            return 1 / (i + 1)
    return 0.0


def build(items: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Create the agencies and datasets of the set (or of ``items``); commit the index once."""
    from ckan.lib import search

    from tests import factories

    items = datasets() if items is None else items
    needed = {item["agency"] for item in items}
    orgs = {
        key: factories.Agency(**agency)["id"] for key, agency in agencies().items() if key in needed
    }
    for item in items:
        extra = (
            {"alternate_identifier": item["alternate_identifier"]}
            if "alternate_identifier" in item
            else {}
        )
        factories.Dataset(
            name=item["name"],
            title=item["title"],
            notes=item["notes"],
            tag_string=",".join(item["tags"]),
            owner_org=orgs[item["agency"]],
            identifier=item["identifier"],
            legal_basis=item["legal_basis"],
            **extra,
        )
    search.commit()
    return items


def evaluate(
    items: list[dict[str, Any]], ranking: bool = True, limit: int | None = None
) -> dict[str, Any]:
    """Run every query (the first ten results); nDCG@10, MRR, latency, the worst queries.

    ``ranking`` False runs the queries as before the ranking existed (the
    folded query alone, ``ckanext.nd47.search_ranking = false``).
    """
    import ckan.plugins.toolkit as tk
    from ckan.tests import helpers

    by_name = {item["name"]: item for item in items}
    saved = tk.config.get("ckanext.nd47.search_ranking")
    tk.config["ckanext.nd47.search_ranking"] = ranking
    scores, ranks, seconds = {}, [], []
    try:
        for query, rules in list(queries(items).items())[:limit]:
            start = time.perf_counter()
            found = helpers.call_action("package_search", q=query, rows=10, fl=["name"])
            seconds.append(time.perf_counter() - start)
            ranked = [grade(by_name[row["name"]], rules) for row in found["results"]]
            scores[query] = ndcg_at_10(ranked, [grade(item, rules) for item in items])
            ranks.append(reciprocal_rank(ranked))
    finally:
        tk.config["ckanext.nd47.search_ranking"] = saved
    return {
        "queries": len(scores),
        "datasets": len(items),
        "ndcg_at_10": statistics.mean(scores.values()),
        "mrr": statistics.mean(ranks),
        "latency_p50": statistics.median(seconds),
        "worst": sorted(scores.items(), key=lambda pair: pair[1])[:10],
    }
