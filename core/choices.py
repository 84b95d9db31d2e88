"""The shared vocabulary of the domain (DOMAIN.md, LEDGER.md).

Each enumeration is declared once as (code, English label, Chinese ledger term).
The code is stored in the database, the English label goes through gettext (its
zh-hans translation is the Chinese term), and the Chinese term is what the Excel
ledger reads and writes, independent of the UI language.

The charges and causes, the stages, the roles and the closing outcomes are configuration instead (issue 16):
kept in core.VocabularyTerm with both labels, history and the categories or aid forms each is offered for,
and read through the same Vocabulary API (see `Vocabulary`).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# Filled by `vocabulary()`: every (English, Chinese) pair, used to generate the
# zh-hans catalogue entries for choice labels so they never drift from the ledger.
ALL_TERMS: list[tuple[str, str]] = []

# The vocabularies kept in core.VocabularyTerm, by their table name (issue 16).
TABLE_VOCABULARIES: dict[str, Vocabulary] = {}

logger = logging.getLogger(__name__)

# The table is read once per process and kept, like the holiday calendar (core.holidays): a term saved in this
# process drops the copy at once; other processes (web workers, the Celery worker) see a generation number in
# the shared cache move, which they look at every RECHECK_SECONDS; none keeps a copy past MAX_AGE_SECONDS.
CACHE_ALIAS = "shared"
GENERATION_KEY = "vocabularies:generation"
RECHECK_SECONDS = 30
MAX_AGE_SECONDS = 600


@dataclass(frozen=True)
class Term:
    code: str
    label_zh: str
    label_en: str
    applies_to: tuple[str, ...]  # categories or aid forms it is offered for; () = all
    active: bool
    order: int

    def applies(self, scope: str) -> bool:
        return not self.applies_to or scope in self.applies_to


@dataclass(frozen=True)
class Snapshot:
    """One vocabulary as a process knows it: the seed with the table's rows over it."""

    terms: tuple[Term, ...]
    by_code: dict[str, Term]
    zh: dict[str, str]
    by_zh: dict[str, str]

    @classmethod
    def build(cls, vocab: Vocabulary, rows: list[Term]) -> Snapshot:
        merged = {t.code: t for t in vocab.seed_terms()}
        merged.update({t.code: t for t in rows})
        position = {code: i for i, code in enumerate(merged)}
        terms = tuple(sorted(merged.values(), key=lambda t: (t.order, position[t.code])))
        by_zh = {zh: code for code, _en, zh in vocab.triples}
        by_zh.update(vocab.aliases)
        by_zh.update({t.label_zh: t.code for t in terms})
        return cls(terms, {t.code: t for t in terms}, {t.code: t.label_zh for t in terms}, by_zh)


_snapshots: dict[str, Snapshot] | None = None
_loaded_at = _checked_at = 0.0
_generation: object = None
#: How many times a term was saved in this process (tests use it to drop what a rolled-back test loaded).
changes = 0


def _clock() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)  # freezegun leaves it alone (core.holidays)


def forget(**kwargs) -> None:
    """post_save of VocabularyTerm (core.apps): this process reads the table again at its next use, and the
    others once the change is committed."""
    global _snapshots, changes
    _snapshots = None
    if kwargs.get("sender") is not None:
        changes += 1
        transaction.on_commit(_announce)


def _announce() -> None:
    try:
        caches[CACHE_ALIAS].set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception as exc:  # noqa: BLE001 - other processes then read the table again within MAX_AGE_SECONDS
        logger.warning("vocabularies: could not tell other processes of a change: %s", exc)


def _moved() -> bool:
    """Whether another process announced a change since this one read the table (no news is no change)."""
    global _generation, _checked_at
    _checked_at = _clock()
    try:
        current = caches[CACHE_ALIAS].get(GENERATION_KEY)
    except Exception:  # noqa: BLE001 - the shared cache is a convenience: keep what this process has
        return False
    moved = current is not None and current != _generation
    _generation = current if current is not None else _generation
    return moved


def _load() -> dict[str, Snapshot] | None:
    try:
        from .models import VocabularyTerm

        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            rows = list(VocabularyTerm.objects.using(DEFAULT_DB_ALIAS).order_by("order", "pk").values_list(
                "vocabulary", "code", "label_zh", "label_en", "applies_to", "active", "order"))
    except Exception as exc:  # noqa: BLE001 - no table yet (before migrate) or no database: the seed serves
        logger.debug("vocabularies: table not read: %s", exc)
        return None
    found: dict[str, list[Term]] = defaultdict(list)
    for name, code, zh, en, applies_to, active, order in rows:
        found[name].append(Term(code, zh, en, tuple(applies_to or ()), active, order))
    return {name: Snapshot.build(vocab, found.get(name, [])) for name, vocab in TABLE_VOCABULARIES.items()}


def _stale(now: float) -> bool:
    if _snapshots is None or now - _loaded_at >= MAX_AGE_SECONDS:
        return True
    return now - _checked_at >= RECHECK_SECONDS and _moved()


def snapshot(vocab: Vocabulary) -> Snapshot:
    global _snapshots, _loaded_at
    now = _clock()
    if _stale(now):
        loaded = _load()
        if loaded is None:
            return vocab.seed_snapshot
        _snapshots, _loaded_at = loaded, now
        _moved()  # what the other processes announced so far is in this copy
    return _snapshots[vocab.table]


def _chinese() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


def _bare(text: str) -> str:
    """A Chinese term without separators and the 罪 of a charge's full name: 走私、贩卖毒品罪 -> 走私贩卖毒品."""
    return re.sub(r"[、，,\s]", "", text or "").removesuffix("罪")


class Vocabulary:
    """A TextChoices class plus the ledger's Chinese term for each code.

    A vocabulary given a `table` name is configuration (issue 16): its terms are the rows of
    core.VocabularyTerm of that name, edited in the admin with history and never deleted (deactivated
    instead). The triples given here are the seed of the table and what is used while it has no row for a
    code (a database not migrated yet, or flushed by a test). Its labels are data, not msgids: `label()`
    gives the Chinese or the English label by the active language, also for an inactive or unknown code (old
    values stay readable), and its terms may be offered for some categories or aid forms only (`applies_to`).
    """

    def __init__(self, name: str, triples: list[tuple[str, str, str]], *, table: str = "",
                 applies_to: dict[str, tuple[str, ...]] | None = None, aliases: dict[str, str] | None = None):
        self.name = name
        self.table = table
        self.triples = list(triples)
        self.seed_applies_to = applies_to or {}
        self.aliases = aliases or {}
        if table:
            TABLE_VOCABULARIES[table] = self
        else:
            ALL_TERMS.extend((en, zh) for _code, en, zh in triples)
        self.choices_class = models.TextChoices(name, [(code, (code, _(en))) for code, en, _zh in triples])
        self._codes = [code for code, _en, _zh in triples]
        self._lazy_label = lazy(self.label, str)

    # --- The terms -------------------------------------------------------------------------------------------

    def seed_terms(self) -> list[Term]:
        return [Term(code, zh, en, tuple(self.seed_applies_to.get(code, ())), True, 10 * (i + 1))
                for i, (code, en, zh) in enumerate(self.triples)]

    @cached_property
    def seed_snapshot(self) -> Snapshot:
        return Snapshot.build(self, [])

    def _snapshot(self) -> Snapshot:
        return snapshot(self) if self.table else self.seed_snapshot

    def terms(self) -> tuple[Term, ...]:
        """Every term, active or not, in the order of the table."""
        return self._snapshot().terms

    def term(self, code: str) -> Term | None:
        return self._snapshot().by_code.get(code)

    # --- What the code reads ----------------------------------------------------------------------------------

    @property
    def codes(self) -> list[str]:
        """Every code, inactive ones included (a past period may hold them)."""
        return [t.code for t in self.terms()] if self.table else self._codes

    @property
    def zh(self) -> dict[str, str]:
        return self._snapshot().zh

    @property
    def by_zh(self) -> dict[str, str]:
        """Chinese label -> code; an older label (an alias, the seed's label of an edited term) still reads."""
        return self._snapshot().by_zh

    @property
    def choices(self) -> list[tuple[str, Promise]]:
        """Every code with its label (lazy: in the language of the moment it is shown)."""
        if not self.table:
            return self.choices_class.choices
        return [(t.code, self._lazy_label(t.code)) for t in self.terms()]

    def label(self, code: str) -> str:
        if not self.table:
            return str(dict(self.choices).get(code, code))
        found = self.term(code)
        if found is None:
            return code or ""
        return found.label_zh if _chinese() else (found.label_en or found.label_zh)

    def from_zh(self, text: str) -> str | None:
        text = (text or "").strip()
        by_zh = self.by_zh
        if text in by_zh:
            return by_zh[text]
        bare = _bare(text)
        return next((code for label, code in by_zh.items() if _bare(label) == bare), None) if bare else None

    # --- What a form offers -------------------------------------------------------------------------------------

    def allows(self, code: str, scope: str = "") -> bool:
        """Whether the term is active and offered for the category or aid form `scope` ("" = any)."""
        found = self.term(code)
        return found is not None and found.active and (not scope or found.applies(scope))

    def choices_for(self, scope: str = "", current: str = "") -> list[tuple[str, str]]:
        """The active terms offered for `scope` (every active term when ""), plus `current` when it is an old
        value no longer offered, so that an old record still shows and keeps it."""
        out = [(t.code, self.label(t.code)) for t in self.terms()
               if t.active and (not scope or t.applies(scope))]
        if current and current not in {code for code, _label in out}:
            out.append((current, self.label(current)))
        return out


CATEGORY = Vocabulary("Category", [
    ("criminal", "Criminal", "刑事"),
    ("civil", "Civil", "民事"),
    ("administrative", "Administrative", "行政"),
])
CASE_KIND_WORD = {"criminal": "刑", "civil": "民", "administrative": "行"}

_CAUSE_TRIPLES = [
    ("labour_pay", "Labour remuneration", "劳动报酬"),
    ("work_injury", "Work injury", "工伤"),
    ("traffic", "Traffic accident", "交通事故"),
    ("medical", "Medical accident", "医疗事故"),
    ("food_drug", "Food and drug", "食品药品"),
    ("support", "Support payments", "赡养抚养扶养"),
    ("marriage_family", "Marriage and family", "婚姻家庭"),
    ("other_injury", "Other personal injury", "其他人身损害"),
    ("contract_debt", "Contract and debt", "合同债务"),
    ("land", "Land contracting", "土地承包"),
    ("housing", "Housing", "房屋"),
    ("social_insurance", "Social insurance and assistance", "社会保险社会救助"),
    ("state_compensation", "State compensation", "国家赔偿"),
    ("environment", "Environmental pollution", "环境污染"),
    ("administrative", "Administrative dispute", "行政"),
    ("theft", "Theft", "盗窃"),
    ("assault", "Intentional injury", "故意伤害"),
    ("robbery", "Robbery", "抢劫"),
    ("affray", "Picking quarrels", "寻衅滋事"),
    ("other_criminal", "Other criminal", "其他刑事"),
    ("other", "Other", "其他"),
]
# The common charges of the Criminal Law (涉嫌罪名), beside the five the cause list always had.
_CHARGE_TRIPLES = [
    ("homicide", "Intentional homicide", "故意杀人"),
    ("fraud", "Fraud", "诈骗"),
    ("dangerous_driving", "Dangerous driving", "危险驾驶"),
    ("drug_trafficking", "Smuggling, selling, transporting or making drugs", "走私、贩卖、运输、制造毒品"),
    ("drug_possession", "Illegal possession of drugs", "非法持有毒品"),
    ("drug_premises", "Harbouring others' drug use", "容留他人吸毒"),
    ("rape", "Rape", "强奸"),
    ("traffic_crime", "Causing a traffic casualty", "交通肇事"),
    ("snatching", "Snatching", "抢夺"),
    ("extortion", "Extortion", "敲诈勒索"),
    ("false_imprisonment", "Unlawful detention", "非法拘禁"),
    ("gang_fight", "Assembling a crowd to fight", "聚众斗殴"),
    ("gambling_house", "Running a gambling house", "开设赌场"),
    ("cyber_aid", "Aiding information-network crime", "帮助信息网络犯罪活动"),
    ("concealing_proceeds", "Concealing criminal proceeds", "掩饰、隐瞒犯罪所得、犯罪所得收益"),
    ("job_embezzlement", "Embezzlement by an employee", "职务侵占"),
    ("contract_fraud", "Contract fraud", "合同诈骗"),
    ("illegal_deposits", "Illegally taking public deposits", "非法吸收公众存款"),
    ("prostitution", "Organising prostitution", "组织卖淫"),
    ("obstruction", "Obstructing official duties", "妨害公务"),
    ("property_damage", "Intentional damage to property", "故意毁坏财物"),
    ("negligent_homicide", "Negligently causing death", "过失致人死亡"),
    ("kidnapping", "Kidnapping", "绑架"),
    ("trafficking_persons", "Abducting and selling women or children", "拐卖妇女、儿童"),
    ("indecency", "Forcible indecency or insult", "强制猥亵、侮辱"),
    ("child_indecency", "Indecency with a child", "猥亵儿童"),
    ("arson", "Arson", "放火"),
    ("graft", "Graft", "贪污"),
    ("bribe_taking", "Taking bribes", "受贿"),
    ("bribe_giving", "Offering bribes", "行贿"),
    ("fake_drugs", "Producing or selling counterfeit medicines", "生产、销售、提供假药"),
    ("shoddy_goods", "Producing or selling fake or shoddy products", "生产、销售伪劣产品"),
    ("card_fraud", "Credit-card fraud", "信用卡诈骗"),
    ("defying_judgment", "Refusing to carry out a judgment or order", "拒不执行判决、裁定"),
    ("firearms", "Illegal possession of firearms or ammunition", "非法持有、私藏枪支、弹药"),
    ("wage_refusal", "Refusing to pay labour remuneration", "拒不支付劳动报酬"),
    ("illegal_logging", "Illegal logging", "滥伐林木"),
    ("illegal_mining", "Illegal mining", "非法采矿"),
]
_FIVE_CHARGES = ["theft", "assault", "robbery", "affray", "other_criminal"]
_CIVIL_CAUSES = [code for code, _en, _zh in _CAUSE_TRIPLES
                 if code not in _FIVE_CHARGES and code not in ("administrative", "other")]
CAUSE = Vocabulary(
    "Cause", [*_CAUSE_TRIPLES[:19], *_CHARGE_TRIPLES, *_CAUSE_TRIPLES[19:]], table="cause",
    applies_to={**{code: ("criminal",) for code in [*_FIVE_CHARGES, *(c for c, _en, _zh in _CHARGE_TRIPLES)]},
                **{code: ("civil", "administrative") for code in _CIVIL_CAUSES},
                "administrative": ("administrative",), "other": ("civil", "administrative")})
#: The five charges of the first cause list (the seed generators pick among them); what counts as a charge
#: is `criminal_causes()`, which follows the table.
CRIMINAL_CAUSES = set(_FIVE_CHARGES)
#: The civil and administrative causes of the first cause list (the seed generators pick among them).
SEED_CIVIL_CAUSES = frozenset([*_CIVIL_CAUSES, "administrative"])

# Consultation topics: the cause list plus the broad 刑事 and 其他 headings.
TOPIC = Vocabulary("Topic", [*_CAUSE_TRIPLES[:-1], ("criminal", "Criminal matters", "刑事"), _CAUSE_TRIPLES[-1]])

SOURCE = Vocabulary("Source", [
    ("application", "Application", "申请"),
    ("notice", "Notice to defend", "通知辩护"),
])

ORGAN = Vocabulary("Organ", [
    ("court", "Court", "法院"),
    ("procuratorate", "Procuratorate", "检察院"),
    ("police", "Public security organ", "公安机关"),
])

STAGE = Vocabulary("Stage", [
    ("investigation", "Investigation", "侦查"),
    ("prosecution", "Prosecution review", "审查起诉"),
    ("trial", "Trial", "审判"),
    ("death_review", "Death-penalty review", "死刑复核"),
    ("first_instance", "First instance", "一审"),
    ("second_instance", "Second instance", "二审"),
    ("retrial", "Retrial", "再审"),
    ("arbitration", "Arbitration", "仲裁"),
    ("mediation", "Mediation", "调解"),
    ("enforcement", "Enforcement", "执行"),
    ("non_litigation", "Non-litigation", "非诉讼"),
], table="stage", applies_to={
    **{code: ("criminal",) for code in ("investigation", "prosecution", "trial", "death_review")},
    **{code: ("civil", "administrative") for code in ("first_instance", "second_instance", "retrial", "arbitration",
                                                       "mediation", "enforcement", "non_litigation")},
}, aliases={"死刑复核案件被告人": "death_review", "死刑复核案件": "death_review"})
CRIMINAL_STAGES = {"investigation", "prosecution", "trial", "death_review"}
NON_LITIGATION_STAGES = {"arbitration", "mediation", "non_litigation"}

AID_FORM = Vocabulary("AidForm", [
    ("criminal_defence", "Criminal defence", "刑事辩护"),
    ("criminal_representation", "Criminal representation", "刑事代理"),
    ("civil_litigation", "Civil litigation representation", "民事诉讼代理"),
    ("admin_litigation", "Administrative litigation representation", "行政诉讼代理"),
    ("state_compensation", "State compensation representation", "国家赔偿代理"),
    ("labour_arbitration", "Labour arbitration representation", "劳动争议仲裁代理"),
    ("labour_mediation", "Labour dispute mediation", "劳动争议调解"),
    ("non_litigation", "Non-litigation representation", "非诉讼代理"),
    ("other", "Other aid form", "其他"),
])
LITIGATION_FORMS = {"criminal_defence", "criminal_representation", "civil_litigation", "admin_litigation",
                    "state_compensation"}
NON_LITIGATION_FORMS = {"labour_arbitration", "labour_mediation", "non_litigation"}

CASE_ROLE = Vocabulary("CaseRole", [
    ("defence", "Defence", "辩护"),
    ("victim", "Victim representation", "被害人代理"),
    ("plaintiff", "Plaintiff / applicant", "原告"),
    ("defendant", "Defendant / respondent", "被告"),
    ("third_party", "Third party", "第三人"),
    ("applicant", "Applicant", "申请人"),
    ("respondent", "Respondent", "被申请人"),
], table="role", applies_to={
    "defence": ("criminal_defence",),
    "victim": ("criminal_representation",),
    "plaintiff": ("civil_litigation", "admin_litigation", "state_compensation", "other"),
    "defendant": ("civil_litigation", "admin_litigation", "state_compensation", "other"),
    "third_party": ("civil_litigation", "admin_litigation", "other"),
    "applicant": ("labour_arbitration", "labour_mediation", "non_litigation", "state_compensation", "other"),
    "respondent": ("labour_arbitration", "labour_mediation", "non_litigation", "state_compensation", "other"),
})

GROUP = Vocabulary("Group", [
    ("migrant_worker", "Migrant worker", "农民工"),
    ("women", "Women", "妇女"),
    ("minor", "Minor", "未成年人"),
    ("elderly", "Elderly", "老年人"),
    ("disabled", "Disabled", "残疾人"),
    ("military", "Service member or family", "军人军属"),
    ("low_income", "Subsistence allowance or extreme poverty", "低保特困"),
    ("ethnic_minority", "Ethnic minority", "少数民族"),
])
DERIVED_GROUPS = {"minor", "elderly", "women"}

DISABILITY = Vocabulary("Disability", [
    ("visual", "Visual", "视力"),
    ("hearing", "Hearing", "听力"),
    ("speech", "Speech", "言语"),
    ("physical", "Physical", "肢体"),
    ("intellectual", "Intellectual", "智力"),
    ("mental", "Mental", "精神"),
    ("multiple", "Multiple", "多重"),
])

SEX = Vocabulary("Sex", [("M", "Male", "男"), ("F", "Female", "女")])

CHANNEL = Vocabulary("Channel", [
    ("visit", "Walk-in", "来访"),
    ("phone", "Phone call", "来电"),
    ("hotline", "12348 hotline", "12348"),
    ("letter", "Letter", "来信"),
    ("online", "Online", "网络"),
    ("event", "Outreach event", "现场"),
])

CONSULTATION_OUTCOME = Vocabulary("ConsultationOutcome", [
    ("answered", "Answered", "解答完毕"),
    ("application", "Led to an application", "引导申请"),
    ("referred", "Referred", "转交"),
    ("other_channels", "Told other channels", "告知其他途径"),
])

CASE_OUTCOME = Vocabulary("CaseOutcome", [
    ("judgment_won", "Judgment won", "判决胜诉"),
    ("judgment_partial", "Judgment partly won", "判决部分胜诉"),
    ("judgment_lost", "Judgment lost", "判决败诉"),
    ("judgment", "Judgment", "判决"),
    ("mediation", "Mediation", "调解"),
    ("settlement", "Settlement", "和解"),
    ("withdrawal", "Withdrawal", "撤诉"),
    ("arbitration", "Arbitral award", "仲裁裁决"),
    ("non_prosecution", "Non-prosecution", "不起诉"),
    ("exempt", "Exempted from punishment", "免予刑事处罚"),
    ("probation", "Probation", "缓刑"),
    ("other", "Other outcome", "其他"),
], table="outcome", applies_to={
    **{code: ("civil", "administrative") for code in ("judgment_won", "judgment_partial", "judgment_lost",
                                                       "mediation")},
    "judgment": ("criminal",),
    "arbitration": ("civil",),
    **{code: ("criminal",) for code in ("non_prosecution", "exempt", "probation")},
})

TERMINATION_REASON = Vocabulary("TerminationReason", [
    ("fraud", "Aid obtained by deception (Art. 48-1)", "以欺骗或者其他不正当手段获得法律援助"),
    ("concealment", "Facts concealed or false evidence (Art. 48-2)", "故意隐瞒与案件有关的重要事实或者提供虚假证据"),
    ("illegal_use", "Aid used for illegal activity (Art. 48-3)", "利用法律援助从事违法活动"),
    ("no_longer_eligible", "No longer financially eligible (Art. 48-4)", "经济状况发生变化，不再符合法律援助条件"),
    ("proceedings_ended", "Proceedings ended or revoked (Art. 48-5)", "案件终止审理或者已经被撤销"),
    ("own_counsel", "Recipient engaged own counsel (Art. 48-6)", "受援人自行委托律师或者其他代理人"),
    ("recipient_request", "Recipient asked to end aid for good reason (Art. 48-7)", "受援人有正当理由要求终止法律援助"),
    ("other", "Other statutory ground (Art. 48-8)", "法律法规规定的其他情形"),
])

NOTICE_GROUND = Vocabulary("NoticeGround", [
    ("minor", "Minor", "未成年人"),
    ("blind_deaf_mute", "Blind, deaf or mute", "视力、听力、言语残疾人"),
    ("mental", "Not fully able to recognise or control own conduct", "不能完全辨认自己行为的成年人"),
    ("life_or_death", "May be sentenced to life imprisonment or death", "可能被判处无期徒刑、死刑的人"),
    ("death_review", "Death-penalty review", "死刑复核案件被告人"),
    ("absentia", "Trial in absentia", "缺席审判案件被告人"),
    ("compulsory_medical", "Compulsory medical treatment", "强制医疗案件被申请人"),
    ("other", "Other ground", "其他"),
])

HANDLER_KIND = Vocabulary("HandlerKind", [
    ("practising_lawyer", "Practising lawyer", "执业律师"),
    ("aid_lawyer", "Legal-aid lawyer", "法律援助律师"),
    ("grassroots_worker", "Grassroots legal worker", "基层法律服务工作者"),
    ("other", "Other handler", "其他"),
])
LAWYER_KINDS = {"practising_lawyer", "aid_lawyer"}

PROVIDER_KIND = Vocabulary("ProviderKind", [
    ("law_firm", "Law firm", "律师事务所"),
    ("grassroots_office", "Grassroots legal service office", "基层法律服务所"),
    ("aid_center", "Legal-aid center", "法律援助中心"),
    ("other", "Other provider", "其他"),
])

STATION_KIND = Vocabulary("StationKind", [
    ("township", "Township station", "乡镇工作站"),
    ("street", "Street station", "街道工作站"),
    ("specialised", "Specialised station", "专项工作站"),
])

HOST_PARTNER = Vocabulary("HostPartner", [
    ("women_federation", "Women's federation", "妇联"),
    ("disabled_federation", "Disabled persons' federation", "残联"),
    ("trade_union", "Federation of trade unions", "总工会"),
    ("ageing_office", "Office on ageing", "老龄办"),
    ("youth_league", "Youth league", "团县委"),
    ("veterans", "Veterans affairs bureau", "退役军人事务局"),
    ("court", "Court", "法院"),
    ("procuratorate", "Procuratorate", "检察院"),
    ("detention", "Detention center", "看守所"),
    ("labour_inspection", "Labour inspection", "劳动监察"),
    ("traffic_police", "Traffic police", "交警"),
    ("other", "Other partner", "其他"),
])

REGISTRY_CATEGORY = Vocabulary("RegistryCategory", [
    ("dibao", "Subsistence allowance (dibao)", "低保"),
    ("tekun", "Extreme poverty (tekun)", "特困"),
    ("disabled", "Disabled", "残疾人"),
    ("youfu", "Entitled groups (youfu)", "优抚对象"),
    ("other", "Other category", "其他"),
])

GRADE = Vocabulary("Grade", [
    ("excellent", "Excellent", "优秀"),
    ("good", "Good", "良好"),
    ("pass", "Pass", "合格"),
    ("fail", "Fail", "不合格"),
])

SATISFACTION = Vocabulary("Satisfaction", [
    ("satisfied", "Satisfied", "满意"),
    ("basically", "Basically satisfied", "基本满意"),
    ("unsatisfied", "Unsatisfied", "不满意"),
])

PUBLICITY_FORM = Vocabulary("PublicityForm", [
    ("onsite", "On-site consultation", "现场咨询"),
    ("lecture", "Lecture", "讲座"),
    ("broadcast", "Radio and television", "广播电视"),
    ("press", "Newspapers", "报刊"),
    ("new_media", "Online and new media", "网络新媒体"),
    ("poster", "Boards and banners", "展板标语"),
    ("community", "Into communities", "进社区"),
    ("village", "Into villages", "进村"),
    ("school", "Into schools", "进校园"),
    ("enterprise", "Into enterprises", "进企业"),
    ("worksite", "Into worksites", "进工地"),
    ("other", "Other form", "其他"),
])

MEDIA_LEVEL = Vocabulary("MediaLevel", [
    ("county", "County", "县级"),
    ("city", "City", "市级"),
    ("province", "Province", "省级"),
    ("national", "National", "国家级"),
])
CITY_PLUS_LEVELS = {"city", "province", "national"}

MATTER_KIND = Vocabulary("MatterKind", [
    ("duty_lawyer", "Duty-lawyer help", "值班律师法律帮助"),
    ("drafting", "Document drafting", "代拟法律文书"),
])

FUNDING_SOURCE = Vocabulary("FundingSource", [
    ("central", "Central transfer payments", "中央转移支付"),
    ("provincial", "Provincial special funds", "省级专项"),
    ("municipal", "Municipal funds", "市级"),
    ("county", "County finance", "县级财政"),
    ("other", "Other sources", "其他"),
])

SPENDING_CATEGORY = Vocabulary("SpendingCategory", [
    ("case_subsidy", "Case subsidies", "办案补贴"),
    ("duty_subsidy", "Duty subsidies", "值班补贴"),
    ("publicity", "Publicity", "宣传"),
    ("training", "Training", "培训"),
    ("equipment", "Equipment", "设备购置"),
    ("books", "Law books", "法律书籍"),
    ("office", "Office", "办公"),
    ("other", "Other spending", "其他"),
])


# --- The table vocabularies' choices for model fields (callables: a term added in the admin validates) -----

def cause_choices() -> list[tuple[str, Promise]]:
    return CAUSE.choices


def stage_choices() -> list[tuple[str, Promise]]:
    return STAGE.choices


def case_role_choices() -> list[tuple[str, Promise]]:
    return CASE_ROLE.choices


def case_outcome_choices() -> list[tuple[str, Promise]]:
    return CASE_OUTCOME.choices


def criminal_causes() -> frozenset[str]:
    """The charges (涉嫌罪名): every cause offered for criminal cases only, those added in the admin included."""
    return frozenset(t.code for t in CAUSE.terms() if t.applies_to == ("criminal",))


def default_role(aid_form: str) -> str:
    """The recipient's usual role under an aid form: 申请人 before an arbitration or mediation, 原告 in court."""
    if aid_form == "criminal_defence":
        return "defence"
    if aid_form == "criminal_representation":
        return "victim"
    if aid_form in ("labour_arbitration", "labour_mediation", "non_litigation"):
        return "applicant"
    return "plaintiff"


# --- Forms: what a select offers, and the check of what was chosen ------------------------------------------

class ScopedSelect(forms.Select):
    """A select of a table vocabulary whose options carry the categories or aid forms they are offered for
    (data-for); static/js/app.js hides the others when the field named in data-scoped-by changes."""

    def __init__(self, attrs=None, *, vocabulary: Vocabulary, scoped_by: str):
        super().__init__({**(attrs or {}), "data-scoped-by": scoped_by})
        self.vocabulary = vocabulary

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        term = self.vocabulary.term(str(value)) if value else None
        if term is not None:
            option["attrs"]["data-for"] = " ".join(term.applies_to)
        return option


def offer(field: forms.ChoiceField, vocab: Vocabulary, *, scope: str = "", current: str = "",
          scoped_by: str = "", blank: bool | None = None) -> None:
    """Let a form field offer the active terms (only those for `scope` when given), the value the record holds
    included; with `scoped_by`, the page narrows the options to the category or aid form chosen in that field.
    Any active term passes the field itself, so that `check_offered` can say why one does not fit."""
    if scoped_by:
        field.widget = ScopedSelect(field.widget.attrs, vocabulary=vocab, scoped_by=scoped_by)
    empty = [("", "---------")] if (not field.required if blank is None else blank) else []
    field.choices = [*empty, *vocab.choices_for("", current)]  # also sets the widget's
    if scope:
        field.widget.choices = [*empty, *vocab.choices_for(scope, current)]


def check_offered(form: forms.BaseForm, name: str, vocab: Vocabulary, *, scope_field: str = "",
                  scope: str = "") -> None:
    """In a form's clean(): the term chosen in `name` must be active and offered for the category or aid form
    chosen in `scope_field` (or for the fixed `scope`). A record's own value under its own category is left
    alone (an edit of something else never fails on an old value)."""
    code = form.cleaned_data.get(name)
    scope = form.cleaned_data.get(scope_field) if scope_field else scope
    if not code or not scope:
        return
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk and getattr(instance, name) == code and (
            not scope_field or getattr(instance, scope_field) == scope):
        return
    message = not_offered(vocab, code, scope)
    if message:
        form.add_error(name, message)


def not_offered(vocab: Vocabulary, code: str, scope: str) -> str:
    """Why the term cannot be chosen for the category or aid form `scope`; "" when it can (or is unknown to
    the vocabulary: the field's own choices refuse that)."""
    term = vocab.term(code)
    if term is None:
        return ""
    if not term.active:
        return gettext("“%(term)s” is no longer offered.") % {"term": vocab.label(code)}
    if not term.applies(scope):
        scopes = CATEGORY if scope in CATEGORY.codes else AID_FORM
        return gettext("“%(term)s” cannot be chosen for a %(scope)s case.") % {
            "term": vocab.label(code), "scope": scopes.label(scope)}
    return ""


# The vocabulary behind each callable of choices, for a label read without building every choice
# (core.templatetags.legalaid.label: a model's get_cause_display builds the whole list of causes each time).
VOCABULARY_OF = {cause_choices: CAUSE, stage_choices: STAGE, case_role_choices: CASE_ROLE,
                 case_outcome_choices: CASE_OUTCOME}
