"""Post lengths measured the way each platform measures them.

Every function here is pure and cheap enough to call on each keystroke. Where a
platform's exact rule is unknown, or differs between its implementations, the count is
deliberately *high*: a post that fits by these numbers fits on the platform. See
``docs/counting.md`` for the rule behind each function and its public source.

X (formerly Twitter)
    :func:`x_weighted_length` implements twitter-text's version 3 weighting, including its
    URL extraction (:func:`x_url_spans`) and its emoji sequences.
Mastodon, Threads, Bluesky
    :func:`mastodon_length`, :func:`threads_length`, :func:`bluesky_length`.
SMS
    :func:`sms_encoding`, :func:`sms_units`, :func:`sms_segments`, :func:`sms_split` and
    :func:`to_gsm7` follow 3GPP TS 23.038 (the GSM 03.38 alphabet).
Plain measures
    :func:`graphemes`, :func:`grapheme_count`, :func:`utf8_length`, :func:`utf16_length`.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Final, Literal

import regex  # type: ignore[import-untyped, unused-ignore]  # no stubs in the typecheck group

__all__ = [
    "BLUESKY_MAX_BYTES",
    "BLUESKY_MAX_GRAPHEMES",
    "MASTODON_MAX_LENGTH",
    "SMS_GSM7_MULTI_SEGMENT",
    "SMS_GSM7_SINGLE_SEGMENT",
    "SMS_UCS2_MULTI_SEGMENT",
    "SMS_UCS2_SINGLE_SEGMENT",
    "THREADS_MAX_LENGTH",
    "X_MAX_WEIGHTED_LENGTH",
    "X_URL_LENGTH",
    "bluesky_length",
    "grapheme_count",
    "graphemes",
    "mastodon_length",
    "sms_encoding",
    "sms_segments",
    "sms_split",
    "sms_units",
    "threads_length",
    "to_gsm7",
    "utf8_length",
    "utf16_length",
    "x_url_spans",
    "x_weighted_length",
]

X_MAX_WEIGHTED_LENGTH: Final = 280
"""Largest :func:`x_weighted_length` X accepts."""
X_URL_LENGTH: Final = 23
"""Weight of every linked URL on X (twitter-text's ``transformedURLLength``)."""
MASTODON_MAX_LENGTH: Final = 500
"""Default character limit of a Mastodon server; servers may configure another."""
THREADS_MAX_LENGTH: Final = 500
"""Character limit of a Threads post."""
BLUESKY_MAX_GRAPHEMES: Final = 300
"""Grapheme limit of a Bluesky post (``app.bsky.feed.post`` lexicon, ``maxGraphemes``)."""
BLUESKY_MAX_BYTES: Final = 3000
"""UTF-8 byte limit of a Bluesky post (``app.bsky.feed.post`` lexicon, ``maxLength``)."""
SMS_GSM7_SINGLE_SEGMENT: Final = 160
"""Septets in a GSM-7 message that is sent as one segment."""
SMS_GSM7_MULTI_SEGMENT: Final = 153
"""Septets per segment of a concatenated GSM-7 message (7 go to the UDH)."""
SMS_UCS2_SINGLE_SEGMENT: Final = 70
"""UTF-16 code units in a UCS-2 message that is sent as one segment."""
SMS_UCS2_MULTI_SEGMENT: Final = 67
"""UTF-16 code units per segment of a concatenated UCS-2 message."""


# ---------------------------------------------------------------------------------------
# Plain measures
# ---------------------------------------------------------------------------------------

_GRAPHEME = regex.compile(r"\X")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Unicode 15.1 rule GB9c keeps an Indic conjunct (consonant, virama, consonant) in one
# cluster; engines on older Unicode data (older Ruby, ICU, graphemer) split it. Counting
# each such join as an extra cluster gives the older, higher number.
_INDIC_CONJUNCT_JOIN = regex.compile(
    r"\p{InCB=Linker}[\p{InCB=Extend}\p{InCB=Linker}]*\p{InCB=Consonant}"
)


def graphemes(text: str) -> list[str]:
    """Split ``text`` into extended grapheme clusters (what a reader sees as characters).

    Uses the Unicode data of the installed ``regex`` module; ``"".join`` of the result is
    always ``text``.
    """
    clusters: list[str] = _GRAPHEME.findall(text)
    return clusters


def grapheme_count(text: str) -> int:
    """Number of extended grapheme clusters in ``text`` (see :func:`graphemes`)."""
    if text.isascii():
        # "\r\n" is the only multi-character cluster made of ASCII.
        return len(text) - text.count("\r\n")
    return len(_GRAPHEME.findall(text))


def _conservative_grapheme_count(text: str) -> int:
    # A grapheme count no lower than that of any engine from Unicode 11 on.
    count = grapheme_count(text)
    if not text.isascii():
        count += len(_INDIC_CONJUNCT_JOIN.findall(text))
    return count


def utf8_length(text: str) -> int:
    """Number of bytes of ``text`` encoded as UTF-8."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def utf16_length(text: str) -> int:
    """Number of UTF-16 code units of ``text`` (what JavaScript's ``length`` reports)."""
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


# ---------------------------------------------------------------------------------------
# X: twitter-text v3 weighted length
# ---------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Top-level domains twitter-text links (its generic and country-code lists, which its
# conformance file tlds.yml exercises one by one).
_GENERIC_TLDS: Final = frozenset(
    _words(
        """
aaa aarp abarth abb abbott abbvie abc able abogado abudhabi academy accenture accountant
accountants aco active actor adac ads adult aeg aero aetna afamilycompany afl africa agakhan
agency aig aigo airbus airforce airtel akdn alfaromeo alibaba alipay allfinanz allstate ally
alsace alstom americanexpress americanfamily amex amfam amica amsterdam analytics android
anquan anz aol apartments app apple aquarelle arab aramco archi army arpa art arte asda asia
associates athleta attorney auction audi audible audio auspost author auto autos avianca aws
axa azure baby baidu banamex bananarepublic band bank bar barcelona barclaycard barclays
barefoot bargains baseball basketball bauhaus bayern bbc bbt bbva bcg bcn beats beauty beer
bentley berlin best bestbuy bet bharti bible bid bike bing bingo bio biz black blackfriday
blanco blockbuster blog bloomberg blue bms bmw bnl bnpparibas boats boehringer bofa bom bond
boo book booking boots bosch bostik boston bot boutique box bradesco bridgestone broadway
broker brother brussels budapest bugatti build builders business buy buzz bzh cab cafe cal
call calvinklein cam camera camp cancerresearch canon capetown capital capitalone car
caravan cards care career careers cars cartier casa case caseih cash casino cat catering
catholic cba cbn cbre cbs ceb center ceo cern cfa cfd chanel channel charity chase chat
cheap chintai chloe christmas chrome chrysler church cipriani circle cisco citadel citi
citic city cityeats claims cleaning click clinic clinique clothing cloud club clubmed coach
codes coffee college cologne com comcast commbank community company compare computer comsec
condos construction consulting contact contractors cooking cookingchannel cool coop corsica
country coupon coupons courses cpa credit creditcard creditunion cricket crown crs cruise
cruises csc cuisinella cymru cyou dabur dad dance data date dating datsun day dclk dds deal
dealer deals degree delivery dell deloitte delta democrat dental dentist desi design dev dhl
diamonds diet digital direct directory discount discover dish diy dnp docs doctor dodge dog
doha domains doosan dot download drive dtv dubai duck dunlop duns dupont durban dvag dvr
earth eat eco edeka edu education email emerck energy engineer engineering enterprises epost
epson equipment ericsson erni esq estate esurance etisalat eurovision eus events everbank
exchange expert exposed express extraspace fage fail fairwinds faith family fan fans farm
farmers fashion fast fedex feedback ferrari ferrero fiat fidelity fido film final finance
financial fire firestone firmdale fish fishing fit fitness flickr flights flir florist
flowers flsmidth fly foo food foodnetwork football ford forex forsale forum foundation fox
free fresenius frl frogans frontdoor frontier ftr fujitsu fujixerox fun fund furniture
futbol fyi gal gallery gallo gallup game games gap garden gay gbiz gdn gea gent genting
george ggee gift gifts gives giving glade glass gle global globo gmail gmbh gmo gmx godaddy
gold goldpoint golf goo goodhands goodyear goog google gop got gov grainger graphics gratis
green gripe grocery group guardian gucci guge guide guitars guru hair hamburg hangout haus
hbo hdfc hdfcbank health healthcare help helsinki here hermes hgtv hiphop hisamitsu hitachi
hiv hkt hockey holdings holiday homedepot homegoods homes homesense honda honeywell horse
hospital host hosting hot hoteles hotels hotmail house how hsbc htc hughes hyatt hyundai ibm
icbc ice icu ieee ifm iinet ikano imamat imdb immo immobilien inc industries infiniti info
ing ink institute insurance insure int intel international intuit investments ipiranga irish
iselect ismaili ist istanbul itau itv iveco iwc jaguar java jcb jcp jeep jetzt jewelry jio
jlc jll jmp jnj jobs joburg jot joy jpmorgan jprs juegos juniper kaufen kddi kerryhotels
kerrylogistics kerryproperties kfh kia kim kinder kindle kitchen kiwi koeln komatsu kosher
kpmg kpn krd kred kuokgroup kyoto lacaixa ladbrokes lamborghini lamer lancaster lancia
lancome land landrover lanxess lasalle lat latino latrobe law lawyer lds lease leclerc
lefrak legal lego lexus lgbt liaison lidl life lifeinsurance lifestyle lighting like lilly
limited limo lincoln linde link lipsy live living lixil llc llp loan loans locker locus loft
lol london lotte lotto love lpl lplfinancial ltd ltda lundbeck lupin luxe luxury macys
madrid maif maison makeup man management mango map market marketing markets marriott
marshalls maserati mattel mba mcd mcdonalds mckinsey med media meet melbourne meme memorial
men menu meo merckmsd metlife miami microsoft mil mini mint mit mitsubishi mlb mls mma mobi
mobile mobily moda moe moi mom monash money monster montblanc mopar mormon mortgage moscow
moto motorcycles mov movie movistar msd mtn mtpc mtr museum mutual mutuelle nab nadex nagoya
name nationwide natura navy nba nec net netbank netflix network neustar new newholland news
next nextdirect nexus nfl ngo nhk nico nike nikon ninja nissan nissay nokia
northwesternmutual norton now nowruz nowtv nra nrw ntt nyc obi observer off office okinawa
olayan olayangroup oldnavy ollo omega one ong onion onl online onyourside ooo open oracle
orange org organic orientexpress origins osaka otsuka ott ovh page pamperedchef panasonic
panerai paris pars partners parts party passagens pay pccw pet pfizer pharmacy phd philips
phone photo photography photos physio piaget pics pictet pictures pid pin ping pink pioneer
pizza place play playstation plumbing plus pnc pohl poker politie porn post pramerica praxi
press prime pro prod productions prof progressive promo properties property protection pru
prudential pub pwc qpon quebec quest qvc racing radio raid read realestate realtor realty
recipes red redstone redumbrella rehab reise reisen reit reliance ren rent rentals repair
report republican rest restaurant review reviews rexroth rich richardli ricoh rightathome
ril rio rip rmit rocher rocks rodeo rogers room rsvp rugby ruhr run rwe ryukyu saarland safe
safety sakura sale salon samsclub samsung sandvik sandvikcoromant sanofi sap sapo sarl sas
save saxo sbi sbs sca scb schaeffler schmidt scholarships school schule schwarz science
scjohnson scor scot search seat secure security seek select sener services ses seven sew sex
sexy sfr shangrila sharp shaw shell shia shiksha shoes shop shopping shouji show showtime
shriram silk sina singles site ski skin sky skype sling smart smile sncf soccer social
softbank software sohu solar solutions song sony soy space spiegel sport spot spreadbetting
srl srt stada staples star starhub statebank statefarm statoil stc stcgroup stockholm
storage store stream studio study style sucks supplies supply support surf surgery suzuki
swatch swiftcover swiss sydney symantec systems tab taipei talk taobao target tatamotors
tatar tattoo tax taxi tci tdk team tech technology tel telecity telefonica temasek tennis
teva thd theater theatre tiaa tickets tienda tiffany tips tires tirol tjmaxx tjx tkmaxx
tmall today tokyo tools top toray toshiba total tours town toyota toys trade trading
training travel travelchannel travelers travelersinsurance trust trv tube tui tunes tushu
tvs ubank ubs uconnect unicom university uno uol ups vacations vana vanguard vegas ventures
verisign vermögensberater vermögensberatung versicherung vet viajes video vig viking villas
vin vip virgin visa vision vista vistaprint viva vivo vlaanderen vodka volkswagen volvo vote
voting voto voyage vuelos wales walmart walter wang wanggou warman watch watches weather
weatherchannel webcam weber website wed wedding weibo weir whoswho wien wiki williamhill win
windows wine winners wme wolterskluwer woodside work works world wow wtc wtf xbox xerox
xfinity xihuan xin xperia xxx xyz yachts yahoo yamaxun yandex yodobashi yoga yokohama you
youtube yun zappos zara zero zip zippo zone zuerich дети католик ком москва онлайн орг рус
сайт קום ابوظبي اتصالات ارامكو العليان بازار بيتك شبكة عرب كاثوليك كوم موبايلي موقع همراه
कॉम नेट संगठन คอม みんな クラウド グーグル コム ストア セール ファッション ポイント 世界
中信 中文网 企业 佛山 信息 健康 八卦 公司 公益 商城 商店 商标 嘉里 嘉里大酒店 在线 大众汽车
大拿 天主教 娱乐 家電 工行 广东 微博 慈善 我爱你 手机 手表 招聘 政务 政府 新闻 时尚 書籍
机构 淡马锡 游戏 点看 珠宝 移动 组织机构 网址 网店 网站 网络 联通 诺基亚 谷歌 购物 通販 集团
電訊盈科 飞利浦 食品 餐厅 香格里拉 닷넷 닷컴 삼성
"""  # noqa: RUF001
    )
)
_COUNTRY_TLDS: Final = frozenset(
    _words(
        """
ac ad ae af ag ai al am an ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo
bq br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm
do dz ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs
gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp
kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms
mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps
pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz
tc td tf tg th tj tk tl tm tn to tp tr tt tv tw tz ua ug uk um us uy uz va vc ve vg vi vn vu
wf ws ye yt za zm zw ελ ευ бг бел ею мкд мон рф срб укр қаз հայ الاردن البحرين الجزائر
السعودية المغرب امارات ایران بارت بھارت تونس سودان سورية عراق عمان فلسطين قطر مصر مليسيا
موريتانيا پاکستان ڀارت भारत भारतम् भारोत বাংলা ভারত ভাৰত ਭਾਰਤ ભારત ଭାରତ இந்தியா இலங்கை
சிங்கப்பூர் భారత్ ಭಾರತ ഭാരതം ලංකා ไทย ລາວ გე 中国 中國 台湾 台灣 新加坡 澳門 香港 한국
"""  # noqa: RUF001
    )
)

# Character groups of twitter-text's URL grammar, as regular-expression class bodies.
_SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# ASCII punctuation that may not appear in a domain label; '"' and '`' are not in it.
_PUNCT = r"!#$%&'()*+,\-./:;<=>?@\[\\\]^_{|}~"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"


def _names_alternation(names: frozenset[str]) -> str:
    """A regular expression matching any of ``names``, written as a trie.

    At each node the longer continuations are tried before stopping, so, as with
    twitter-text's longest-first lists, the first name that matches is the longest; and
    the engine walks one branch per character instead of trying every name in turn.
    """
    trie: dict[str, Any] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if "" in node:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _url_grammar(path_char: str, path_end_char: str, query_char: str, query_end: str) -> str:
    """twitter-text's URL expression with the given path and query character classes."""
    # Same shape as twitter-text's extractUrl: preceding character, optional scheme, host,
    # optional port, path (with up to two levels of balanced parentheses), query.
    parens = f"\\((?:{path_char}+|{path_char}*\\({path_char}+\\){path_char}*)\\)"
    path = f"(?:{path_char}*(?:{parens}{path_char}*)*(?:{path_end_char}|{parens})|@{path_char}+/)"
    preceding = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|^)"
    return (
        f"({preceding})"  # 1: the character before the URL
        f"((https?://)?"  # 2: the URL; 3: its scheme
        f"({_DOMAIN})"  # 4: the host
        r"(?::[0-9]+)?"
        f"(/{path}*)?"  # 5: the path
        f"(?:\\?{query_char}*{query_end})?)"
    )


_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_TLD_END = r"(?=[^0-9a-zA-Z@+\-]|$)"
_TLD = (
    f"(?:(?:{_names_alternation(_GENERIC_TLDS)}){_TLD_END}"
    f"|(?:{_names_alternation(_COUNTRY_TLDS)}){_TLD_END}"
    r"|xn--[0-9a-z\-]+)"
)
_DOMAIN = (
    f"(?:(?:{_DOMAIN_CHAR}(?:[_\\-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)*"
    f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.){_TLD}"
)
_QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END = r"[a-z0-9\-_&=#/]"


# The URL patterns hold every top-level domain: compiled on first use, not at import.
@functools.cache
def _url_pattern() -> re.Pattern[str]:
    return re.compile(
        _url_grammar(
            f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN_ACCENTS}]",
            f"[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]",
            _QUERY_CHAR,
            _QUERY_END,
        ),
        re.IGNORECASE,
    )


@functools.cache
def _ascii_domain() -> re.Pattern[str]:
    return re.compile(f"(?:[\\-a-z0-9{_LATIN_ACCENTS}]+\\.)+{_TLD}", re.IGNORECASE)


_TCO_URL = re.compile(
    f"^https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?", re.IGNORECASE
)
# Mastodon widens twitter-text's path and query characters (config/initializers/
# twitter_regex.rb); its spans decide what it replaces with 23 characters.
_WHITE_SPACE = "\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_MASTODON_UCHARS = (
    "\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)


@functools.cache
def _mastodon_url() -> re.Pattern[str]:
    return re.compile(
        _url_grammar(
            f"[^{_WHITE_SPACE}<>()?]",
            f"[^{_WHITE_SPACE}()?!*\"'\u300c\u300d<>;:=,.$%\\[\\]~&|@]",
            f"[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@^{_MASTODON_UCHARS}]",
            f"[a-z0-9_&=#/\\-{_MASTODON_UCHARS}]",
        ),
        re.IGNORECASE,
    )


# Whitespace-delimited tokens holding a dot followed by two more characters (a TLD has at
# least two): the only places a URL can be. Scanning just
# these keeps the (slow) URL grammar off the rest of the text.
_DOTTED_TOKEN = re.compile(f"(?<![^{_SPACES}])[^{_SPACES}]*?\\.[^{_SPACES}.]{{2}}[^{_SPACES}]*")
# Python's case-insensitive matching also equates these four with ASCII letters, which
# JavaScript's does not; they are swapped for look-alikes from the same URL classes.
_FOLD_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")
_FOLD_TRAP_SWAP = str.maketrans("\u0130\u0131\u017f\u212a", "\u0101\u0101\u0101\u2603")
_SCHEMELESS_BAD_BEFORE = frozenset("-_./")
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63


def _label_lengths_ok(labels: list[str]) -> bool:
    return all(1 <= len(label) <= _MAX_LABEL_LENGTH for label in labels)


def _idna_verdicts(domain: str) -> tuple[int | None, int | None]:
    """ASCII length of ``domain`` under twitter-text's JS rule and under IDNA 2003.

    ``None`` means that rule rejects the domain. The JS rule punycodes each label without
    normalising it and keeps the original length; Java's and Python's twitter-text run
    IDNA 2003 (nameprep) and use the encoded length.
    """
    if domain.isascii():
        ok = _label_lengths_ok(domain.split("."))
        if ok and domain.startswith("xn--") and not _ascii_domain().search(domain):
            return None, len(domain)
        return (len(domain), len(domain)) if ok else (None, None)
    js: int | None = len(domain)
    if domain.startswith("xn--") and not _ascii_domain().search(domain):
        js = None
    else:
        encoded = [
            label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
            for label in domain.split(".")
        ]
        if not _label_lengths_ok(encoded):
            js = None
    try:
        idna2003: int | None = len(domain.encode("idna"))
    except UnicodeError:
        idna2003 = None
    return js, idna2003


def _url_entities(text: str) -> list[tuple[int, int, int, bool]]:
    """URL entities of ``text`` as ``(start, end, skipped, certain)``.

    ``skipped`` is how many UTF-16 units twitter-text's counter jumps over (it can fall
    short of the span for schemeless URLs); ``certain`` is False where twitter-text's
    implementations disagree about linking it.
    """
    if "." not in text:
        return []
    entities: list[tuple[int, int, int, bool]] = []
    for match in _url_matches(_url_pattern(), text):
        _add_url_entities(match, entities)
    return entities


def _url_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of a URL grammar in ``text``, tried only around tokens with a dot.

    Characters whose case folding would fool the grammar are swapped first, one
    for one, so the spans are the text's.
    """
    if not text.isascii() and _FOLD_TRAPS.search(text):
        text = text.translate(_FOLD_TRAP_SWAP)
    for token in _DOTTED_TOKEN.finditer(text):
        begin = token.start()
        yield from pattern.finditer(text, begin - 1 if begin else 0, token.end())


def _add_url_entities(match: re.Match[str], out: list[tuple[int, int, int, bool]]) -> None:
    before, url, scheme, domain, path = match.group(1, 2, 3, 4, 5)
    start, end = match.span(2)
    js, idna2003 = _idna_verdicts(domain)
    base = utf16_length(url) + len(scheme or "https://")
    js_ok = js is not None and base <= _MAX_URL_LENGTH
    idna_ok = idna2003 is not None and base + idna2003 - len(domain) <= _MAX_URL_LENGTH
    if not (js_ok or idna_ok):
        return
    certain = js_ok and idna_ok
    if scheme:
        tco = _TCO_URL.match(url)
        if tco:
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                return
            end = start + tco.end()
        out.append((start, end, end - start, certain))
        return
    if before and before[-1] in _SCHEMELESS_BAD_BEFORE:
        return
    found = [(start + m.start(), start + m.end()) for m in _ascii_domain().finditer(domain)]
    if not found:
        return
    for span_start, span_end in found[:-1]:
        out.append((span_start, span_end, span_end - span_start, certain))
    last_start, last_end = found[-1]
    if path:
        # twitter-text keeps the last ASCII domain plus everything after the host; its
        # counter then skips that many code units from the domain's start.
        skipped = (last_end - last_start) + (end - start - len(domain))
        out.append((last_start, end, skipped, certain))
    else:
        out.append((last_start, last_end, last_end - last_start, certain))


def x_url_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` string indices of the URLs X would link in ``text``.

    Indices are Python string (code point) indices into ``text`` exactly as given; no
    Unicode normalisation is applied first (:func:`x_weighted_length` normalises to NFC
    before it looks for URLs). Follows twitter-text's extraction rules: ``http``/``https``
    or no scheme, a known generic or country-code TLD or punycode, trailing punctuation
    left out, no URL right after a letter, digit, ``@``, ``$`` or ``#`` and no schemeless
    one after ``-``, ``_``, ``.`` or ``/``, only ASCII hosts without a scheme, the
    63-character label and 4096-character URL limits, and the 40-character ``t.co`` slug
    limit.
    """
    return [(start, end) for start, end, _, _ in _url_entities(text)]


# Weight 1 in twitter-text v3: code points 0-4351, 8192-8205, 8208-8223 and 8242-8247;
# everything else weighs 2. U+00A9 and U+00AE are also counted 2 here because newer
# emoji lists (which X may use) treat them as emoji.
_HEAVY = re.compile("[^\x00-\xa8\xaa-\xad\xaf-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")


def _cp_class(spec: str) -> str:
    """Regular-expression class body for space-separated hex code points and ranges."""
    parts = []
    for item in spec.split():
        first, _, last = item.partition("-")
        parts.append(re.escape(chr(int(first, 16))))
        if last:
            parts.append("-" + re.escape(chr(int(last, 16))))
    return "".join(parts)


def _cp_string(spec: str) -> str:
    return "".join(chr(int(item, 16)) for item in spec.split())


# Emoji sequences that twitter-text's emoji list (the Unicode 10 era list the conformance
# suite was written against) counts as one emoji of weight 2. Only sequences matter: a
# lone emoji code point already weighs 2. Newer emoji lists only add sequences, so
# collapsing just these never counts below X; an unknown sequence is counted per code
# point, which is never lower either.
_SKIN = _cp_class("1F3FB-1F3FF")
_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_GENDER = f"{_ZWJ}[\u2640\u2642]{_VS16}"
_PROFESSION_PEOPLE = _cp_class("1F468 1F469")
_PROFESSION_TEXT_OBJECTS = _cp_class("2695 2696 2708")
_PROFESSION_OBJECTS = _cp_class(
    "1F33E 1F373 1F393 1F3A4 1F3A8 1F3EB 1F3ED 1F4BB 1F4BC 1F527 1F52C 1F680 1F692"
)
# Gendered activities whose base is text-default: a skin tone or VS16 must follow it.
_GENDERED_TEXT_BASES = _cp_class("1F3CB 1F3CC 1F574 1F575 26F9")
_GENDERED_BASES = _cp_class(
    "1F3C3 1F3C4 1F3CA 1F46E 1F471 1F473 1F477 1F481 1F482 1F486 1F487 1F645-1F647 1F64B "
    "1F64D 1F64E 1F6A3 1F6B4-1F6B6 1F926 1F935 1F937-1F939 1F93D 1F93E 1F9D6-1F9DD"
)
_FIXED_ZWJ_SEQUENCES = (
    "1F468 200D 2764 FE0F 200D 1F48B 200D 1F468",
    "1F469 200D 2764 FE0F 200D 1F48B 200D 1F468",
    "1F469 200D 2764 FE0F 200D 1F48B 200D 1F469",
    "1F468 200D 1F468 200D 1F466 200D 1F466",
    "1F468 200D 1F468 200D 1F467 200D 1F466",
    "1F468 200D 1F468 200D 1F467 200D 1F467",
    "1F468 200D 1F469 200D 1F466 200D 1F466",
    "1F468 200D 1F469 200D 1F467 200D 1F466",
    "1F468 200D 1F469 200D 1F467 200D 1F467",
    "1F469 200D 1F469 200D 1F466 200D 1F466",
    "1F469 200D 1F469 200D 1F467 200D 1F466",
    "1F469 200D 1F469 200D 1F467 200D 1F467",
    "1F468 200D 2764 FE0F 200D 1F468",
    "1F469 200D 2764 FE0F 200D 1F468",
    "1F469 200D 2764 FE0F 200D 1F469",
    "1F468 200D 1F466 200D 1F466",
    "1F468 200D 1F467 200D 1F466",
    "1F468 200D 1F467 200D 1F467",
    "1F468 200D 1F468 200D 1F466",
    "1F468 200D 1F468 200D 1F467",
    "1F468 200D 1F469 200D 1F466",
    "1F468 200D 1F469 200D 1F467",
    "1F469 200D 1F466 200D 1F466",
    "1F469 200D 1F467 200D 1F466",
    "1F469 200D 1F467 200D 1F467",
    "1F469 200D 1F469 200D 1F466",
    "1F469 200D 1F469 200D 1F467",
    "1F3F3 FE0F 200D 1F308",
    "1F3F4 200D 2620 FE0F",
    "1F441 200D 1F5E8",
    "1F468 200D 1F466",
    "1F468 200D 1F467",
    "1F469 200D 1F466",
    "1F469 200D 1F467",
    "1F46F 200D 2640 FE0F",
    "1F46F 200D 2642 FE0F",
    "1F93C 200D 2640 FE0F",
    "1F93C 200D 2642 FE0F",
    "1F9DE 200D 2640 FE0F",
    "1F9DE 200D 2642 FE0F",
    "1F9DF 200D 2640 FE0F",
    "1F9DF 200D 2642 FE0F",
)
# Text-default emoji: followed by VS16 the pair is one emoji.
_TEXT_DEFAULT = _cp_class(
    "203C 2049 2139 2194-2199 21A9 21AA 231A 231B 2328 23CF 23ED-23EF 23F1 23F2 23F8-23FA "
    "24C2 25AA 25AB 25B6 25C0 25FB-25FE 2600-2604 260E 2611 2614 2615 2618 2620 2622 2623 "
    "2626 262A 262E 262F 2638-263A 2640 2642 2648-2653 2660 2663 2665 2666 2668 267B 267F "
    "2692-2697 2699 269B 269C 26A0 26A1 26AA 26AB 26B0 26B1 26BD 26BE 26C4 26C5 26C8 26CF "
    "26D1 26D3 26D4 26E9 26EA 26F0-26F5 26F8 26FA 26FD 2702 2708 2709 270F 2712 2714 2716 "
    "271D 2721 2733 2734 2744 2747 2757 2763 2764 27A1 2934 2935 2B05-2B07 2B1B 2B1C 2B50 "
    "2B55 3030 303D 3297 3299 1F004 1F170 1F171 1F17E 1F17F 1F202 1F21A 1F22F 1F237 1F321 "
    "1F324-1F32C 1F336 1F37D 1F396 1F397 1F399-1F39B 1F39E 1F39F 1F3CD 1F3CE 1F3D4-1F3DF "
    "1F3F3 1F3F5 1F3F7 1F43F 1F441 1F4FD 1F549 1F54A 1F56F 1F570 1F573 1F576-1F579 1F587 "
    "1F58A-1F58D 1F5A5 1F5A8 1F5B1 1F5B2 1F5BC 1F5C2-1F5C4 1F5D1-1F5D3 1F5DC-1F5DE 1F5E1 "
    "1F5E3 1F5E8 1F5EF 1F5F3 1F5FA 1F6CB 1F6CD-1F6CF 1F6E0-1F6E5 1F6E9 1F6F0 1F6F3"
)
# Skin-tone bases: text-default ones (may take VS16 first), then emoji-default ones.
_TEXT_MODIFIER_BASES = _cp_class("261D 26F7 26F9 270C 270D 1F3CB 1F3CC 1F574 1F575 1F590")
_MODIFIER_BASES = _cp_class(
    "270A 270B 1F385 1F3C2-1F3C4 1F3C7 1F3CA 1F442 1F443 1F446-1F450 1F466-1F469 1F46E "
    "1F470-1F478 1F47C 1F481-1F483 1F485-1F487 1F4AA 1F57A 1F595 1F596 1F645-1F647 "
    "1F64B-1F64F 1F6A3 1F6B4-1F6B6 1F6C0 1F6CC 1F918-1F91C 1F91E 1F91F 1F926 1F930-1F939 "
    "1F93D 1F93E 1F9D1-1F9DD"
)
_TAG_FLAGS = (
    "1F3F4 E0067 E0062 E0065 E006E E0067 E007F",
    "1F3F4 E0067 E0062 E0073 E0063 E0074 E007F",
    "1F3F4 E0067 E0062 E0077 E006C E0073 E007F",
)
# Region codes whose regional-indicator pair is a flag emoji in that list.
_FLAG_REGIONS = _words(
    """
AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CR CU CV CW CX CY CZ DE DG DJ DK
DM DO DZ EA EC EE EG EH ER ES ET EU FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ
GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI
KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP
MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX
SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN US UY UZ VA VC VE VG VI
VN VU WF WS XK YE YT ZA ZM ZW
"""
)


def _regional_indicator(letter: str) -> str:
    return chr(0x1F1E6 + ord(letter) - ord("A"))


def _build_emoji_sequence_pattern() -> re.Pattern[str]:
    # The alternatives keep the order of twitter-text's emoji expression: where two could
    # match at one position the earlier one wins, and that decides what is counted.
    fixed = sorted((_cp_string(seq) for seq in _FIXED_ZWJ_SEQUENCES), key=len, reverse=True)
    flags: dict[str, list[str]] = {}
    for region in _FLAG_REGIONS:
        flags.setdefault(region[0], []).append(_regional_indicator(region[1]))
    alternatives = [
        f"[{_PROFESSION_PEOPLE}][{_SKIN}]?{_ZWJ}"
        f"(?:[{_PROFESSION_TEXT_OBJECTS}]{_VS16}|[{_PROFESSION_OBJECTS}])",
        f"[{_GENDERED_TEXT_BASES}](?:[{_SKIN}]|{_VS16}){_GENDER}",
        f"[{_GENDERED_BASES}][{_SKIN}]?{_GENDER}",
        *fixed,
        f"[#*0-9]{_VS16}?\u20e3",
        f"[{_TEXT_DEFAULT}]{_VS16}",
        f"[{_TEXT_MODIFIER_BASES}](?:{_VS16}[{_SKIN}]?|[{_SKIN}])",
        f"[{_MODIFIER_BASES}][{_SKIN}]",
        *(_cp_string(seq) for seq in _TAG_FLAGS),
        *(
            f"{_regional_indicator(first)}[{''.join(seconds)}]"
            for first, seconds in sorted(flags.items())
        ),
    ]
    return re.compile("|".join(alternatives))


_EMOJI_SEQUENCE = _build_emoji_sequence_pattern()
# Every sequence above holds at least one of these; text without them needs no emoji pass.
_EMOJI_SEQUENCE_HINT_CHARS = f"{_ZWJ}{_VS16}\u20e3{_SKIN}\U0001f1e6-\U0001f1ff\U000e0020-\U000e007f"
_EMOJI_SEQUENCE_HINT = re.compile(f"[{_EMOJI_SEQUENCE_HINT_CHARS}]")
# Every character any of those sequences can hold. A sequence lies inside one run of
# these, and scanning such a run from its start finds what scanning the whole text would,
# so only the runs around hint characters are scanned.
_EMOJI_SEQUENCE_CLASS = re.compile(
    f"[#*0-9\u2640\u2642{_EMOJI_SEQUENCE_HINT_CHARS}{_PROFESSION_PEOPLE}"
    f"{_PROFESSION_TEXT_OBJECTS}{_PROFESSION_OBJECTS}{_GENDERED_TEXT_BASES}{_GENDERED_BASES}"
    f"{_TEXT_DEFAULT}{_TEXT_MODIFIER_BASES}{_MODIFIER_BASES}"
    f"{''.join(_cp_string(seq) for seq in (*_FIXED_ZWJ_SEQUENCES, *_TAG_FLAGS))}]"
)
_EMOJI_SEQUENCE_CHARS: Final = frozenset(
    char
    for block in (
        range(0x80),
        range(0x2000, 0x3300),
        range(0xFE0F, 0xFE10),
        range(0x1F000, 0x1FB00),
        range(0xE0020, 0xE0080),
    )
    for char in map(chr, block)
    if _EMOJI_SEQUENCE_CLASS.fullmatch(char)
)


def _plain_weight(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + len(_HEAVY.findall(text))


def _segment_weight(text: str) -> int:
    weight = _plain_weight(text)
    if weight == len(text):
        return weight
    hint = _EMOJI_SEQUENCE_HINT.search(text)
    while hint:
        start, end = hint.span()
        while start and text[start - 1] in _EMOJI_SEQUENCE_CHARS:
            start -= 1
        while end < len(text) and text[end] in _EMOJI_SEQUENCE_CHARS:
            end += 1
        for emoji in _EMOJI_SEQUENCE.findall(text, start, end):
            weight -= _plain_weight(emoji) - 2
        hint = _EMOJI_SEQUENCE_HINT.search(text, end)
    return weight


def _skip_utf16(text: str, start: int, end: int, units: int) -> int:
    # Index reached after twitter-text's counter skips ``units`` UTF-16 code units from
    # ``start``; a character it would only half skip is left to be counted (high).
    position = start
    while position < end and units > 0:
        units -= 2 if ord(text[position]) > 0xFFFF else 1
        if units < 0:
            break
        position += 1
    return position


def x_weighted_length(text: str) -> int:
    """Length of ``text`` as X counts it against its 280 limit (twitter-text v3).

    The text is NFC-normalised first. Code points 0-4351, 8192-8205, 8208-8223 and
    8242-8247 weigh 1, all others 2; each URL X links (see :func:`x_url_spans`) weighs 23
    however long it is; an emoji sequence twitter-text recognises (keycap, flag, skin
    tone, ZWJ sequence, emoji with VS16) weighs 2 in all.

    Never lower than X's count: emoji sequences newer than twitter-text's list, ``©`` and
    ``®``, a URL whose host twitter-text's implementations disagree on (counted as the
    larger of 23 and its characters), and ``"\\r\\n"`` (2) are all counted high.
    """
    if not text:
        return 0
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    entities = _url_entities(text)
    if not entities:
        return _segment_weight(text)
    weight = 0
    position = 0
    for start, end, skipped, certain in entities:
        if start < position:
            continue
        weight += _segment_weight(text[position:start])
        if certain:
            stop = start + skipped
            if skipped != end - start:
                stop = _skip_utf16(text, start, end, skipped)
            weight += X_URL_LENGTH + _segment_weight(text[stop:end])
        else:
            weight += max(X_URL_LENGTH, _segment_weight(text[start:end]))
        position = end
    return weight + _segment_weight(text[position:])


# ---------------------------------------------------------------------------------------
# Mastodon, Threads, Bluesky
# ---------------------------------------------------------------------------------------

# Mastodon counts every linked URL as this many characters.
_MASTODON_URL_LENGTH = 23
_MASTODON_URL_PLACEHOLDER = "x" * _MASTODON_URL_LENGTH
# A remote mention "@user@example.org" counts as "@user". Only ASCII mentions that
# Mastodon's own pattern certainly matches are shortened; others count in full.
_MASTODON_REMOTE_MENTION = regex.compile(
    r"(?<![=/\w\p{L}\p{M}\p{N}\p{Pc}])(@[a-z0-9_]+(?:[a-z0-9_.\-]+[a-z0-9_]+)?)"
    r"@[a-z0-9_]+(?:[.\-]+[a-z0-9_]+)+(?![\w\p{L}\p{M}\p{N}\p{Pc}@])",
    regex.IGNORECASE,
)


def _mastodon_url_spans(text: str) -> list[tuple[int, int, bool]]:
    # (start, end, host is ASCII) of the URLs with a scheme Mastodon's grammar finds.
    if ":" not in text or "." not in text:
        return []
    return [
        (match.start(2), match.end(2), match.group(4).isascii())
        for match in _url_matches(_mastodon_url(), text)
        if match.group(3)
    ]


def mastodon_length(text: str) -> int:
    """Length of ``text`` as Mastodon counts it against its (default 500) limit.

    Mastodon's status length validator counts grapheme clusters after replacing every URL
    that has a scheme with 23 characters and each ``@user@domain`` mention with
    ``@user``. Here such a URL counts 23 when its host is ASCII and otherwise the larger
    of 23 and its own length (Mastodon may not link it); Indic conjuncts count as the
    pre-Unicode-15.1 rules split them.
    """
    if not text:
        return 0
    pieces: list[str] = []
    position = 0
    for start, end, ascii_host in _mastodon_url_spans(text):
        url = text[start:end]
        pieces.append(text[position:start])
        if ascii_host or _conservative_grapheme_count(url) <= _MASTODON_URL_LENGTH:
            pieces.append(_MASTODON_URL_PLACEHOLDER)
        else:
            pieces.append(url)
        position = end
    pieces.append(text[position:])
    countable = "".join(pieces)
    if "@" in countable:
        countable = _MASTODON_REMOTE_MENTION.sub(r"\1", countable)
    return _conservative_grapheme_count(countable)


_THREADS_WIDE = regex.compile(r"[\U00010000-\U0010ffff\p{Emoji_Presentation}\ufe0f]")


def threads_length(text: str) -> int:
    """A conservative length of ``text`` for Threads' 500-character limit.

    Meta does not publish how Threads counts. This counts UTF-16 code units, except that
    a grapheme cluster holding an emoji-presentation character, VS16 or a character
    beyond the BMP counts its UTF-8 bytes when those are more. The result is never below
    :func:`grapheme_count` nor :func:`utf16_length`.
    """
    if text.isascii():
        return len(text)
    total = utf16_length(text)
    if not _THREADS_WIDE.search(text):
        return total
    for cluster in _GRAPHEME.findall(text):
        if _THREADS_WIDE.search(cluster):
            total += max(0, utf8_length(cluster) - utf16_length(cluster))
    return total


def bluesky_length(text: str) -> int:
    """Length of ``text`` to compare with Bluesky's 300 limit.

    A Bluesky post may have at most 300 grapheme clusters and 3000 UTF-8 bytes. This
    returns the larger of the grapheme count (with Indic conjuncts split as older
    Unicode rules do) and the byte count divided by 10, rounded up, so it is above 300
    exactly when either limit would be broken.
    """
    byte_units = -(-utf8_length(text) // (BLUESKY_MAX_BYTES // BLUESKY_MAX_GRAPHEMES))
    return max(_conservative_grapheme_count(text), byte_units)


# ---------------------------------------------------------------------------------------
# SMS (3GPP TS 23.038)
# ---------------------------------------------------------------------------------------

# The GSM 7-bit default alphabet in code order, without 0x1B (the escape to the
# extension table, which is not a character of its own).
_GSM7_BASIC: Final = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs two septets (escape + character).
_GSM7_EXTENSION: Final = "\f^{}\\[~]|€"
_GSM7_ONLY = re.compile(f"[{re.escape(_GSM7_BASIC + _GSM7_EXTENSION)}]*")
_GSM7_EXTENSION_CHAR = re.compile(f"[{re.escape(_GSM7_EXTENSION)}]")
_GSM7_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2000": " ",
        "\u2001": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\t": " ",
        "\u2022": "-",
        "\u00b7": ".",
    }
)


def sms_encoding(text: str) -> Literal["gsm7", "ucs2"]:
    """``"gsm7"`` if every character of ``text`` is in the GSM 03.38 default alphabet or
    its extension table, else ``"ucs2"`` (sent as UTF-16)."""
    return "gsm7" if _GSM7_ONLY.fullmatch(text) else "ucs2"


def sms_units(text: str) -> int:
    """Size of ``text`` in its SMS encoding: septets for GSM-7 (extension characters
    such as ``€`` or ``[`` cost 2), UTF-16 code units for UCS-2."""
    return _sms_units(text, sms_encoding(text) == "gsm7")


def _sms_units(text: str, gsm: bool) -> int:
    if gsm:
        return len(text) + len(_GSM7_EXTENSION_CHAR.findall(text))
    return utf16_length(text)


def _sms_budgets(text: str) -> tuple[bool, int, int]:
    if sms_encoding(text) == "gsm7":
        return True, SMS_GSM7_SINGLE_SEGMENT, SMS_GSM7_MULTI_SEGMENT
    return False, SMS_UCS2_SINGLE_SEGMENT, SMS_UCS2_MULTI_SEGMENT


def _sms_cut_points(text: str) -> list[int]:
    gsm, single, per_segment = _sms_budgets(text)
    if _sms_units(text, gsm) <= single:
        return []
    cuts: list[int] = []
    used = 0
    for index, char in enumerate(text):
        wide = char in _GSM7_EXTENSION if gsm else ord(char) > 0xFFFF
        cost = 2 if wide else 1
        if used + cost > per_segment:
            # The character moves whole to the next segment, so an escape pair or a
            # surrogate pair is never split.
            cuts.append(index)
            used = 0
        used += cost
    return cuts


def sms_segments(text: str) -> int:
    """Number of SMS segments needed to send ``text``.

    One segment holds 160 GSM-7 septets or 70 UCS-2 units; longer texts are sent as
    concatenated segments of 153 septets or 67 units, split as :func:`sms_split` splits.
    Empty text counts as 1 (an empty message is still one message).
    """
    return len(_sms_cut_points(text)) + 1


def sms_split(text: str) -> list[str]:
    """Split ``text`` into the segments of a concatenated SMS.

    Segments are filled greedily, at most 153 septets (GSM-7) or 67 units (UCS-2) each,
    or one segment of up to 160/70 when the whole text fits. An extension character
    (escape + character) and a character beyond the BMP (a UTF-16 surrogate pair) are
    never split. Words and grapheme clusters may be. Empty text gives ``[""]``.
    """
    cuts = _sms_cut_points(text)
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def to_gsm7(text: str) -> str:
    """Replace typographic characters with their GSM-7 equivalents.

    Curly quotes become straight ones, dashes and bullets ``-``, the ellipsis ``...``,
    non-breaking and other special spaces (and tab) a space. Everything else is left as
    it is, so the result may still need UCS-2; check with :func:`sms_encoding`.
    """
    if text.isascii() and "\t" not in text:
        return text
    return text.translate(_GSM7_EQUIVALENTS)
