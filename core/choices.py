"""The shared vocabulary of the domain (DOMAIN.md, LEDGER.md).

Each enumeration is declared once as (code, English label, Chinese ledger term).
The code is stored in the database, the English label goes through gettext (its
zh-hans translation is the Chinese term), and the Chinese term is what the Excel
ledger reads and writes, independent of the UI language.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Filled by `vocabulary()`: every (English, Chinese) pair, used to generate the
# zh-hans catalogue entries for choice labels so they never drift from the ledger.
ALL_TERMS: list[tuple[str, str]] = []


class Vocabulary:
    """A TextChoices class plus the ledger's Chinese term for each code."""

    def __init__(self, name: str, triples: list[tuple[str, str, str]]):
        ALL_TERMS.extend((en, zh) for _code, en, zh in triples)
        self.choices_class = models.TextChoices(name, [(code, (code, _(en))) for code, en, _zh in triples])
        self.zh = {code: zh for code, _en, zh in triples}
        self.by_zh = {zh: code for code, _en, zh in triples}
        self.codes = [code for code, _en, _zh in triples]

    @property
    def choices(self) -> list[tuple[str, Promise]]:
        return self.choices_class.choices

    def label(self, code: str) -> str:
        return str(dict(self.choices).get(code, code))

    def from_zh(self, text: str) -> str | None:
        return self.by_zh.get((text or "").strip())


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
CAUSE = Vocabulary("Cause", _CAUSE_TRIPLES)
CRIMINAL_CAUSES = {"theft", "assault", "robbery", "affray", "other_criminal"}

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
])
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
])

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
])

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
