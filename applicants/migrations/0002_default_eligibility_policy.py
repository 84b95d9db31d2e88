"""Default eligibility policies for the previous and the current year (DOMAIN.md §4).

Urban 低保 700 yuan and rural 610 yuan a month per person, × 2.0, household basis,
and the lists of Art. 31, 32 and 42 of the Legal Aid Law. An administrator edits
them per year in the admin.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

MATTERS = [
    ("state_compensation", "依法请求国家赔偿", ["state_compensation"]),
    ("social_insurance", "请求给予社会保险待遇或者社会救助", ["social_insurance"]),
    ("pension", "请求发给抚恤金", ["social_insurance"]),
    ("support", "请求给付赡养费、抚养费、扶养费", ["support"]),
    ("labour", "请求确认劳动关系或者支付劳动报酬", ["labour_pay"]),
    ("capacity", "请求认定公民无民事行为能力或者限制民事行为能力", []),
    ("personal_injury", "请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿",
     ["work_injury", "traffic", "food_drug", "medical"]),
    ("environment", "请求环境污染、生态破坏损害赔偿", ["environment"]),
    ("local_family", "婚姻家庭纠纷中主张相关权益（本省补充事项）", ["marriage_family"]),
]
NO_HARDSHIP = [
    ("hero_relatives", "英雄烈士近亲属为维护英雄烈士的人格权益"),
    ("good_samaritan", "因见义勇为行为主张相关民事权益"),
    ("retrial_acquittal", "再审改判无罪请求国家赔偿"),
    ("abuse_victim", "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益"),
]
EXEMPTIONS = [
    ("no_fixed_income", "无固定生活来源的未成年人、老年人、残疾人等特定群体"),
    ("assistance", "社会救助、司法救助或者优抚对象"),
    ("migrant_worker", "申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员"),
    ("other_rule", "法律、法规、规章规定的其他人员"),
]
PROOFS = [
    ("id_card", "居民身份证或者其他有效身份证明"),
    ("hukou_book", "户口簿"),
    ("dibao_card", "最低生活保障证或者特困人员救助供养证"),
    ("disability_card", "残疾人证"),
    ("youfu_card", "优抚对象证件"),
    ("hardship_statement", "经济困难状况个人诚信承诺书"),
    ("labour_proof", "劳动关系或者务工证明材料"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("applicants", "EligibilityPolicy")
    Item = apps.get_model("applicants", "EligibilityItem")
    this_year = date.today().year
    for year in (this_year - 1, this_year):
        policy, created = Policy.objects.get_or_create(
            year=year, defaults=dict(urban_base=Decimal("700.00"), rural_base=Decimal("610.00"),
                                     multiplier=Decimal("2.00"), basis="household"),
        )
        if not created:
            continue
        rows = []
        for sort, (code, name, causes) in enumerate(MATTERS):
            rows.append(Item(policy=policy, kind="matter", code=code, name=name, causes=causes, sort=sort))
        for kind, items in (("no_hardship", NO_HARDSHIP), ("exemption", EXEMPTIONS), ("proof", PROOFS)):
            for sort, (code, name) in enumerate(items):
                rows.append(Item(policy=policy, kind=kind, code=code, name=name, sort=sort))
        Item.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("applicants", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
