"""The shipped articles (seed pages, Dân trí records) as the true articles of the fixture
sites, and the three page templates the sites render them in (the markup of provincial papers:
navigation, breadcrumbs, "A A" font buttons, "Lượt xem", "In bài viết", related links,
footers with the licence line)."""
from __future__ import annotations

import csv
import gzip
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


@dataclass(frozen=True)
class TrueArticle:
    slug: str
    title: str
    date: str                 # ISO
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def day_first(self) -> str:
        year, month, day = self.date.split("-")
        return f"{day}/{month}/{year}"


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain)[:8])


def seed_articles() -> list[TrueArticle]:
    """The five seed pages: their paragraphs (lines of 40+ characters) are the body."""
    folder = FIXTURES / "seeds"
    with open(folder / "metadata.csv", encoding="utf-8") as handle:
        dates = {row["file"]: row["date"] for row in csv.DictReader(handle)}
    articles = []
    for number, (name, when) in enumerate(sorted(dates.items())):
        lines = [line.strip() for line in (folder / name).read_text(encoding="utf-8").splitlines()]
        paragraphs = [line for line in lines if len(line) >= 40]
        first = lines[0] if lines[0] and not re.search(r"\d", lines[0]) else ""
        title = first or " ".join(paragraphs[0].split()[:10])
        paragraphs = [p for p in paragraphs if p != title]
        articles.append(TrueArticle(f"{slugify(title)}-{1000 + number}", title, when,
                                    tuple(paragraphs)))
    return articles


def record_articles() -> list[TrueArticle]:
    """The 120 Dân trí records: title, date, and the text after the title line."""
    articles = []
    with gzip.open(FIXTURES / "unc-small.jsonl.gz", "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            record = json.loads(line)
            body = record["text"].split("\n")
            if body[0].strip() == record["title"].strip():
                body = body[1:]
            when = f"{record['date'][:4]}-{record['date'][4:6]}-{record['date'][6:8]}"
            slug = record["url"].rstrip("/").rsplit("/", 1)[-1].split(".")[0][:60].strip("-")
            articles.append(TrueArticle(f"{slug}-{2000 + number}", record["title"].strip(),
                                        when, tuple(p.strip() for p in body if p.strip())))
    return articles


def encode_1258(text: str) -> bytes:
    """Text as windows-1258 stores it: base letters precomposed, tone marks combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            tones = "".join(c for c in parts if c in TONE_MARKS)
            out.append((base + tones).encode("cp1258", "replace"))
    return b"".join(out)


def paragraphs_html(article: TrueArticle) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)


def related_html(related: list[TrueArticle]) -> str:
    return "".join(f'<li><a href="/{a.slug}.html">{html.escape(a.title)}</a></li>' for a in related)


NAV = ('<nav class="menu"><a href="/">Trang chủ</a> <a href="/chuyen-muc/chinh-tri">Chính trị</a> '
       '<a href="/chuyen-muc/kinh-te">Kinh tế</a> <a href="/chuyen-muc/xa-hoi">Xã hội</a> '
       '<a href="/lien-he">Liên hệ</a></nav>')


def page_feature(article: TrueArticle, canonical: str, related: list[TrueArticle],
                 charset: str = "utf-8") -> str:
    """Template 1: meta tags, toolbar with font buttons, view counter, sidebar, footer."""
    title = html.escape(article.title)
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="{charset}">
<title>{title} - Báo An Giang điện tử</title>
<meta property="og:title" content="{title}"><meta property="og:type" content="article">
<meta property="article:published_time" content="{article.date}T07:39:00+07:00">
<link rel="canonical" href="{canonical}"></head><body>
<header><div class="logo"><a href="/">BÁO AN GIANG</a></div>{NAV}
<div class="ticker">Thứ Tư, 02/12/2026 | Đăng nhập | Đăng ký</div></header>
<main><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/chuyen-muc/chinh-tri">Chính trị</a></div>
<article class="detail"><h1 class="title">{title}</h1>
<div class="meta"><span class="date">{article.day_first} - 07:39</span> · <span>Lượt xem: 1.284</span></div>
<div class="tools"><a href="#" class="font-down">A</a> <a href="#" class="font-up">A</a> <a href="javascript:window.print()">In bài viết</a></div>
<div class="article-body">
{paragraphs_html(article)}
</div>
<div class="share">Chia sẻ bài viết: <a href="https://facebook.com/sharer">Facebook</a> <a href="https://zalo.me/share">Zalo</a></div>
</article>
<aside class="sidebar"><h3>Tin khác</h3><ul>{related_html(related)}</ul>
<h3>Đọc nhiều</h3><ul>{related_html(related[::-1])}</ul></aside></main>
<footer><p>Báo An Giang - Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh An Giang.</p>
<p>Giấy phép số 123/GP-BTTTT. Tổng Biên tập: Nguyễn Văn A. Địa chỉ: 12 Lê Lợi, TP Long Xuyên.</p>
<p>Ghi rõ nguồn "Báo An Giang" khi phát hành lại thông tin từ website này.</p></footer>
</body></html>"""


def page_plain(article: TrueArticle, canonical: str, related: list[TrueArticle]) -> str:
    """Template 2: no meta tags at all; date only as visible text (the source's selectors)."""
    title = html.escape(article.title)
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Báo Cần Thơ Online</title></head><body>
<div id="top">{NAV}<form action="/tim-kiem"><input name="q" placeholder="Tìm kiếm"></form></div>
<div class="container"><div class="detail">
<h1 class="title">{title}</h1>
<div class="info"><span class="date">Thứ năm, {article.day_first} 07:39</span> <span class="author">CTO</span></div>
<div class="article-body">{paragraphs_html(article)}</div>
<div class="tags">Từ khóa: <a href="/tag/xay-dung-dang">xây dựng Đảng</a></div>
</div><div class="more"><h2>Bài viết liên quan</h2><ul>{related_html(related)}</ul></div></div>
<div id="footer">© Báo Cần Thơ. Bản quyền thuộc về Báo Cần Thơ. Điện thoại: 0292 3821 123.</div>
</body></html>"""


def page_portal(article: TrueArticle, canonical: str, related: list[TrueArticle]) -> str:
    """Template 3: a portal with <time datetime>, og:title and the body in div#content."""
    title = html.escape(article.title)
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{title} | Báo Gia Lai điện tử</title><meta property="og:title" content="{title}">
<link rel="canonical" href="{canonical}"></head><body>
<div class="header">{NAV}</div>
<div class="main"><div class="post">
<h1 class="post-title">{title}</h1>
<p class="post-date"><time datetime="{article.date}T06:07:00+07:00">Thứ Hai, {article.day_first}, 06:07 [GMT+7]</time></p>
<div id="content">{paragraphs_html(article)}</div>
<p class="print"><a href="?print=1">In bài viết</a> | <a href="#top">Về đầu trang</a></p>
</div><div class="widget"><h4>Tin cùng chuyên mục</h4><ul>{related_html(related)}</ul></div></div>
<div class="footer">Báo Gia Lai điện tử. Chịu trách nhiệm xuất bản: Tổng biên tập.</div>
</body></html>"""


def listing_page(title: str, articles: list[TrueArticle], pages: list[str]) -> str:
    """A category page: titles, summaries and pagination; not an article."""
    items = "".join(
        f'<div class="item"><h3><a href="/{a.slug}.html">{html.escape(a.title)}</a></h3>'
        f'<p class="sapo">{html.escape(a.paragraphs[0][:140])}</p></div>' for a in articles)
    pager = " ".join(f'<a href="{page}">{n}</a>' for n, page in enumerate(pages, start=1))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body>{NAV}<h1>{title}</h1><div class="list">{items}</div><div class="pager">{pager}</div></body></html>"""
