from extract.responsibility import has_responsibility_note, read_responsibility


def test_responsible_units_split_on_dunhao():
    units = read_responsibility("加强监管。（责任单位：省住房城乡建设厅、省自然资源厅、各设区市政府）")
    assert units.responsible == ["省住房城乡建设厅", "省自然资源厅", "各设区市政府"]


def test_lead_and_responsible_units_split_on_dunhao():
    units = read_responsibility("(牵头单位:县发改局、县财政局;责任单位:各乡镇、县直各部门)")
    assert (units.lead, units.responsible) == (["县发改局", "县财政局"], ["各乡镇", "县直各部门"])


def test_role_words_at_group_end_set_roles_and_are_removed():
    units = read_responsibility("(责任单位:省教育厅牵头,省财政厅、省人社厅配合,各市州政府负责)")
    assert units.lead == ["省教育厅"]
    assert units.cooperating == ["省财政厅", "省人社厅"]
    assert units.responsible == ["各市州政府"]


def test_unlabelled_note_with_role_words_is_read():
    units = read_responsibility("推进改革。（市市场监管局牵头，市公安局、市税务局配合）")
    assert (units.lead, units.cooperating) == (["市市场监管局"], ["市公安局", "市税务局"])


def test_ji_joining_two_units_splits_them():
    units = read_responsibility("(责任单位:市卫生健康委及市政府其他部门,各区县政府)")
    assert units.responsible == ["市卫生健康委", "市政府其他部门", "各区县政府"]


def test_ji_qi_does_not_split_a_name():
    units = read_responsibility("（责任单位：各级政府及其部门）")
    assert units.responsible == ["各级政府及其部门"]


def test_alias_parenthetical_stays_attached_to_its_unit():
    units = read_responsibility("（责任单位：市政府办公室（市大数据局）、市司法局）")
    assert units.responsible == ["市政府办公室（市大数据局）", "市司法局"]


def test_several_notes_give_their_union_in_order_without_repeats():
    text = "完善制度。（责任单位：市司法局、市财政局）\n强化问责。（责任单位：市财政局、市审计局）"
    assert read_responsibility(text).responsible == ["市司法局", "市财政局", "市审计局"]


def test_note_left_open_at_paragraph_end_is_still_read():
    units = read_responsibility("优化审批。(责任单位：区发展改革局、区商务局\n")
    assert units.responsible == ["区发展改革局", "区商务局"]


def test_ordinary_parenthetical_is_not_a_note():
    assert not has_responsibility_note("推进乡镇（街道）综合执法，落实“放管服”（简政放权）改革。")


def test_labelled_line_outside_parentheses_is_read():
    units = read_responsibility("规范执法检查。\n牵头单位：县司法局\n配合单位：县直各执法部门")
    assert (units.lead, units.cooperating) == (["县司法局"], ["县直各执法部门"])


def test_english_lead_and_responsible_labels():
    units = read_responsibility("(Lead: Department of Transport; Responsible: City Council, Port Authority and Rail Agency)")
    assert units.lead == ["Department of Transport"]
    assert units.responsible == ["City Council", "Port Authority", "Rail Agency"]


def test_english_to_lead_with_cooperating_unit():
    units = read_responsibility("(Ministry of Health to lead, with the Statistics Office)")
    assert (units.lead, units.cooperating) == (["Ministry of Health"], ["Statistics Office"])


def test_english_responsible_units_line():
    units = read_responsibility("Open cooling centres.\nResponsible units: Health Department, Libraries Service")
    assert units.responsible == ["Health Department", "Libraries Service"]


def test_prose_parenthetical_ending_in_a_role_word_is_not_a_note():
    assert not has_responsibility_note("落实主体责任（对本地区法治建设负责），强化考核。")
