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


def test_labelled_lines_without_brackets_are_notes():
    units = read_responsibility("推行网办。\n牵头单位：县数据局\n责任单位：县税务局、各乡镇\n完成时限：2027年6月底前")
    assert (units.lead, units.responsible) == (["县数据局"], ["县税务局", "各乡镇"])


def test_note_stops_at_a_deadline_label():
    units = read_responsibility("（牵头单位：县发展改革局；责任单位：县财政局；完成时限：2027年12月31日）")
    assert (units.lead, units.responsible) == (["县发展改革局"], ["县财政局"])


def test_english_owner_lead_agency_and_supporting_labels_map_to_roles():
    units = read_responsibility("Cut waste.\nOwner: Waste Team\nLead agency: Environment Office\nSupporting: Parks Service")
    assert (units.lead, units.cooperating) == (["Waste Team", "Environment Office"], ["Parks Service"])


def test_label_after_a_full_stop_on_the_same_line_opens_a_note():
    units = read_responsibility("推行全程网办，年内覆盖全部事项。牵头单位：县数据局；责任单位：各乡镇")
    assert (units.lead, units.responsible) == (["县数据局"], ["各乡镇"])


def test_english_inline_label_note_ends_with_its_sentence():
    units = read_responsibility("Open data. Lead: County Office. By 30 June 2026.")
    assert units.lead == ["County Office"]


def test_label_word_inside_a_sentence_is_not_a_note():
    assert not has_responsibility_note("明确牵头单位：由县政府统筹安排")


def test_lead_unit_with_an_alias_bracket_inside_the_note_keeps_the_alias():
    units = read_responsibility("建成市级交通数据平台。（县交通运输局（县港航中心）牵头，县公安局、县应急局按职责分工负责）")
    assert units.lead == ["县交通运输局（县港航中心）"]
    assert units.responsible == ["县公安局", "县应急局"]


def test_closing_parenthetical_of_one_aliased_body_names_it_responsible():
    assert read_responsibility("完成文物普查。（县文旅局（县文物局））").responsible == ["县文旅局（县文物局）"]


def test_manner_bracket_after_the_last_unit_is_not_part_of_its_name():
    units = read_responsibility("推进农贸市场改造。（责任单位：县商务局、县农业农村局、县供销社（按职责分工负责））")
    assert units.responsible == ["县商务局", "县农业农村局", "县供销社"]
    assert read_responsibility("（责任单位：县文旅局（按职责负责））").responsible == ["县文旅局"]


def test_role_word_in_a_bracket_after_a_unit_gives_that_unit_its_role():
    units = read_responsibility("推进农贸市场改造。责任单位：县商务局、县供销社（牵头）、县农业农村局（配合）")
    assert (units.lead, units.responsible, units.cooperating) == (["县供销社"], ["县商务局"], ["县农业农村局"])


def test_english_labels_wrapped_in_markdown_emphasis_set_roles():
    text = ("Rebuild the Alder Street footbridge.\n"
            "*Owner:* Highways Department; *Support:* Parks Department; Alder Valley Trust.")
    units = read_responsibility(text)
    assert (units.lead, units.cooperating) == (["Highways Department"], ["Parks Department", "Alder Valley Trust"])
    units = read_responsibility("Rebuild the footbridge. **Owner:** Highways Department. **Supporting:** Parks Team.")
    assert (units.lead, units.cooperating) == (["Highways Department"], ["Parks Team"])


def test_lead_team_leads_and_lead_officer_names_a_post_not_a_unit():
    text = "Rebuild the footbridge. Lead team: Bridges Team; Lead officer: Head of Highways; Supporting: Finance Team."
    units = read_responsibility(text)
    assert (units.lead, units.responsible, units.cooperating) == (["Bridges Team"], [], ["Finance Team"])


def test_department_name_with_a_comma_series_is_one_unit():
    units = read_responsibility("Lead: Department of Transport, Ports and Regional Roads; Support: Harbour Police, RDAs")
    assert units.lead == ["Department of Transport, Ports and Regional Roads"]
    assert units.cooperating == ["Harbour Police", "RDAs"]


def test_names_after_a_department_that_read_as_bodies_stay_apart():
    units = read_responsibility("Responsible: Department of Tourism, Coastal Guard Service, RDAs")
    assert units.responsible == ["Department of Tourism", "Coastal Guard Service", "RDAs"]


def test_and_before_a_body_noun_and_of_opens_a_second_unit():
    units = read_responsibility("Support: Coastal Trails Trust and Office of the Harbour Master")
    assert units.cooperating == ["Coastal Trails Trust", "Office of the Harbour Master"]


# Families from the second blind round: owners however written (issue 9).

def test_first_listed_unit_leads_where_a_note_says_so_and_the_clause_is_no_unit():
    from extract.responsibility import read_conventions
    text = "推进试点。（水利厅、农业农村厅、林草局负责，排在第一位的单位为牵头单位，下同）"
    conventions = read_conventions(text)
    units = read_responsibility(text, conventions)
    assert (units.lead, units.responsible) == (["水利厅"], ["农业农村厅", "林草局"])


def test_first_listed_convention_leaves_a_single_unit_responsible():
    from extract.responsibility import NoteConventions
    units = read_responsibility("完善机制。（林草局负责）", NoteConventions(first_listed_leads=True))
    assert (units.lead, units.responsible) == ([], ["林草局"])


def test_first_listed_convention_counts_the_units_joined_by_huitong():
    from extract.responsibility import NoteConventions
    units = read_responsibility("（区体育局会同区教育局、区卫健局负责）", NoteConventions(first_listed_leads=True))
    assert (units.lead, units.responsible, units.cooperating) == (["区体育局"], [], ["区教育局", "区卫健局"])


def test_first_listed_convention_reads_only_the_first_responsible_list():
    # A single responsible unit stays responsible; the guiding units after it form a list of their own.
    from extract.responsibility import NoteConventions
    units = read_responsibility("（区水务局负责，区农业农村局、区林业局指导）", NoteConventions(first_listed_leads=True))
    assert (units.lead, units.responsible) == ([], ["区水务局", "区农业农村局", "区林业局"])


def test_a_guiding_unit_label_names_responsible_units():
    units = read_responsibility("责任单位：县卫健局\n指导单位：市卫健委、市疾控中心")
    assert units.responsible == ["县卫健局", "市卫健委", "市疾控中心"]


def test_without_the_convention_every_listed_unit_is_responsible():
    units = read_responsibility("完善机制。（水利厅、林草局负责）")
    assert (units.lead, units.responsible) == ([], ["水利厅", "林草局"])


def test_scope_note_in_square_brackets_names_no_unit():
    text = "开展评估。〔文旅厅等省直各部门(单位)和各县(区)人民政府按职责分工负责,以下均需各县(区)人民政府落实,不再列出〕"
    units = read_responsibility(text)
    assert units.responsible == ["文旅厅等省直各部门(单位)", "各县(区)人民政府"]
    assert units.lead == units.cooperating == []


def test_he_splits_two_whole_bodies_but_not_a_name_or_a_shared_head():
    assert read_responsibility("（区委宣传部和区文旅局负责）").responsible == ["区委宣传部", "区文旅局"]
    assert read_responsibility("（省工业和信息化厅负责）").responsible == ["省工业和信息化厅"]
    assert read_responsibility("（各县党委和政府负责）").responsible == ["各县党委和政府"]
    assert read_responsibility("（区委和区级机关有关部门负责）").responsible == ["区委和区级机关有关部门"]


def test_huitong_joins_a_responsible_list_and_a_cooperating_one():
    units = read_responsibility("加大支持。（民政部、财政部会同有关部门负责）")
    assert (units.responsible, units.cooperating) == (["民政部", "财政部"], ["有关部门"])


def test_zhidao_and_xietong_are_role_words():
    units = read_responsibility("推进改革。（省教育厅指导，各市教育局协同）")
    assert (units.responsible, units.cooperating) == (["省教育厅"], ["各市教育局"])


def test_subject_after_an_opening_deadline_is_the_owner():
    from extract.responsibility import subject_units
    text = "2026年4月底前，省民政厅建成养老服务平台。省老龄办印发指南。2026年9月底前，各地完成数据接入。"
    assert subject_units(text, ["2026年4月底前", "2026年9月底前"]) == ["省民政厅", "各地"]


def test_subject_before_its_deadline_grows_by_a_compound_tail():
    from extract.responsibility import subject_units
    assert subject_units("省政府办公厅于2026年6月底前完成评估。", ["2026年6月底前"]) == ["省政府办公厅"]
    assert subject_units("各市州对照清单，在2026年6月底前，完成自查。", ["2026年6月底前"]) == ["各市州"]


def test_a_sentence_opening_with_work_has_no_subject():
    from extract.responsibility import subject_units
    assert subject_units("加快建设数据中心，2026年底前投入使用。", ["2026年底前"]) == []
    assert subject_units("推进市场监管局改革，2026年底前完成。", ["2026年底前"]) == []


def test_each_milestones_clause_names_its_own_subject_and_huitong_adds_cooperating_units():
    from extract.responsibility import subject_responsibility
    text = "司法部法治调研司会同信息中心、宣传中心于2027年5月底前上线平台，各省份于10月底前完成对接。"
    owners = subject_responsibility(text, ["2027年5月底前", "10月底前"])
    assert (owners.responsible, owners.cooperating) == (["司法部法治调研司", "各省份"], ["信息中心", "宣传中心"])


def test_a_subject_after_a_half_width_full_stop():
    from extract.responsibility import subject_responsibility
    owners = subject_responsibility("建设应急仓库.区应急局会同区粮储中心,于8月底前建成.", ["8月底前"])
    assert (owners.responsible, owners.cooperating) == (["区应急局"], ["区粮储中心"])


def test_figures_inside_a_subjects_name_but_not_opening_it():
    from extract.responsibility import subject_units
    assert subject_units("区12345热线中心于6月底前完成知识库更新。", ["6月底前"]) == ["区12345热线中心"]
    assert "2026年区民政局" not in subject_units("2026年区民政局于6月底前完成。", ["6月底前"])


def test_a_subject_before_a_frequency_word_owns_the_later_deadline():
    from extract.responsibility import subject_responsibility
    owners = subject_responsibility("区考评室每月通报一次，11月30日前完成年度评估。", ["11月30日前"])
    assert owners.responsible == ["区考评室"]


def test_subjects_joined_by_a_pause_mark_are_two_units():
    from extract.responsibility import subject_units
    assert subject_units("区民政局、区财政局于9月底前完成核查。", ["9月底前"]) == ["区民政局", "区财政局"]


def test_words_ending_like_a_body_but_not_followed_by_a_predicate_are_no_subject():
    from extract.responsibility import subject_units
    assert subject_units("4月底前举办全民读书节。", ["4月底前"]) == []
    assert subject_units("年底前印发实施办法。", ["年底前"]) == []
    assert subject_units("9月底前全部完成整改。", ["9月底前"]) == []


def test_first_listed_convention_reads_a_comma_list_and_yields_to_a_named_lead():
    from extract.responsibility import NoteConventions
    first_leads = NoteConventions(first_listed_leads=True)
    units = read_responsibility("（县文旅局，县教育局，县财政局负责）", first_leads)
    assert (units.lead, units.responsible) == (["县文旅局"], ["县教育局", "县财政局"])
    units = read_responsibility("(牵头单位:县发改局;责任单位:县住建局,县水利局)", first_leads)
    assert (units.lead, units.responsible) == (["县发改局"], ["县住建局", "县水利局"])


def english_subject_units(text: str, phrases: list[str]) -> list[str]:
    """The English owner rule as plan.py applies it: first line the title, the rest the body."""
    from extract.subjects import commitment_owners, dated_sentence_owners
    title, _, body = text.partition("\n")
    return commitment_owners(title, body) or dated_sentence_owners(text, phrases)


def test_english_subjects_of_heading_bullets_and_list_headers():
    text = "\n".join([
        "The Housing Department will publish a homelessness strategy",
        "- district councils will appoint a named officer",
        "- Tenant Champions will meet every quarter",
        "Regional Support Unit will:",
        "- train caseworkers",
        "The Housing Department will also advise schools on outreach.",
    ])
    assert english_subject_units(text, []) == ["Housing Department", "district councils", "Regional Support Unit"]


def test_english_prose_subject_counts_only_in_a_sentence_with_a_deadline():
    text = "Improve the register\nThe Records Office will digitise files by June 2026. The Archives Board will advise."
    assert english_subject_units(text, ["by June 2026"]) == ["Records Office"]


def test_english_things_pronouns_and_roles_are_no_subjects():
    text = "\n".join(["Online services will be redesigned", "- digital services will include analytics",
                      "- Service Managers will be appointed", "- There will be a review",
                      "- We will consult residents"])
    assert english_subject_units(text, []) == []


def test_english_it_will_header_refers_to_the_body_named_before():
    text = "Finance Directorate will simplify procurement\nIt will:\n- publish a catalogue"
    assert english_subject_units(text, []) == ["Finance Directorate"]


def test_collective_subject_ends_with_a_place_word():
    from extract.responsibility import subject_units
    assert subject_units("2026年5月底前，各设区市完成摸底。", ["2026年5月底前"]) == ["各设区市"]
    assert subject_units("各县市区于6月底前完成。", ["6月底前"]) == ["各县市区"]


def test_bank_branches_customs_and_federations_name_bodies():
    units = read_responsibility("（省财政厅、人民银行某省分行、某关区海关、省妇联负责）")
    assert units.responsible == ["省财政厅", "人民银行某省分行", "某关区海关", "省妇联"]


def test_huitong_inside_a_place_name_joins_nothing():
    assert read_responsibility("（某市会同县人民政府负责）").responsible == ["某市会同县人民政府"]


def test_labels_in_square_brackets_instead_of_a_colon():
    units = read_responsibility("推行电子证照。【牵头单位】区数据局 【配合单位】区公安分局、区民政局")
    assert (units.lead, units.cooperating) == (["区数据局"], ["区公安分局", "区民政局"])


def test_spaces_between_whole_names_separate_units_but_a_cut_name_is_joined():
    units = read_responsibility("（牵头单位：区发改局 区财政局；责任单位：各街 道办事处、区城管 局）")
    assert (units.lead, units.responsible) == (["区发改局", "区财政局"], ["各街道办事处", "区城管局"])


def test_note_cut_by_a_page_break_is_rejoined():
    units = read_responsibility("完善设施。（责任单位：开发区管委会、产业\n\n园区管委会）")
    assert units.responsible == ["开发区管委会", "产业园区管委会"]


def test_role_phrases_opening_a_name_are_dropped():
    units = read_responsibility("Responsible: Required for all councils, as well as other regional bodies")
    assert units.responsible == ["all councils", "other regional bodies"]


def test_collective_units_however_named():
    from extract.unitnames import unit_kind
    assert [unit_kind(n) for n in ["全省二级以上医院", "所有乡镇卫生院", "other regional bodies", "全椒县人民政府", "省卫生健康委"]] == [
        "collective", "collective", "collective", "single", "single"]


def test_joining_word_opening_a_group_makes_it_cooperating():
    units = read_responsibility("（区发改局牵头，会同区财政局、区税务局）")
    assert (units.lead, units.cooperating) == (["区发改局"], ["区财政局", "区税务局"])
    units = read_responsibility("（县发改局会同县财政局负责）")
    assert (units.responsible, units.cooperating) == (["县发改局"], ["县财政局"])


def test_compound_role_words():
    units = read_responsibility("（区教育局负责指导，各街道具体落实）")
    assert units.responsible == ["区教育局", "各街道"]


def test_lead_named_within_a_list_is_lead_only():
    units = read_responsibility("（责任单位：区卫健局、区医保局，其中由区卫健局牵头）")
    assert (units.lead, units.responsible) == (["区卫健局"], ["区医保局"])


def test_english_plural_marked_labels_co_leads_and_a_with_bracket_after_a_name():
    from extract.responsibility import read_responsibility

    owners = read_responsibility("Owner(s): Tide Office, Harbour Board")
    assert (owners.lead, owners.cooperating) == (["Tide Office", "Harbour Board"], [])
    assert read_responsibility("Co-lead: Harbour Board").lead == ["Harbour Board"]
    bracket = read_responsibility("Lead: Tide Office (with Pilot Service)")
    assert (bracket.lead, bracket.cooperating) == (["Tide Office"], ["Pilot Service"])


def test_english_fields_on_one_line_split_by_bars():
    from extract.responsibility import read_responsibility

    units = read_responsibility("Responsible: Harbour Board | Partners: Pilot Service | Timeline: Q4 2031")
    assert (units.responsible, units.cooperating) == (["Harbour Board"], ["Pilot Service"])


def test_english_fields_split_by_a_middle_dot_and_a_role_bracket_after_a_lead():
    from extract.responsibility import read_responsibility

    assert read_responsibility("Owner: Harbour Board · Due: June 2031").lead == ["Harbour Board"]
    units = read_responsibility("Lead: Harbour Board (Pilot Service to support)")
    assert (units.lead, units.cooperating) == (["Harbour Board"], ["Pilot Service"])


def test_english_body_with_its_helpers_in_one_group():
    from extract.responsibility import read_responsibility

    units = read_responsibility("Lead: Harbour Board with support from Pilot Service and Tide Office")
    assert (units.lead, units.cooperating) == (["Harbour Board"], ["Pilot Service", "Tide Office"])
    # "with" inside a name whose left side is no body's name stays in it
    assert read_responsibility("Lead: Department for Work with Families").lead == ["Department for Work with Families"]
