"""Which unit names are collectives: the vocabulary in extract/data/unit_kinds.toml."""
from extract.unitnames import unit_kind


def test_a_class_of_places_or_an_etcetera_makes_a_collective():
    names = ["市州政府", "市（州）人民政府", "县区人民政府", "乡镇党委", "省发展改革委等部门", "市县两级政府"]
    assert [unit_kind(n) for n in names] == ["collective"] * len(names)


def test_one_named_place_or_body_stays_single():
    names = ["市司法局", "中川镇", "全椒县人民政府", "州司法局", "县人民政府", "市场监管局"]
    assert [unit_kind(n) for n in names] == ["single"] * len(names)
