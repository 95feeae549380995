from extract.normalize import normalize_text, paragraphs


def test_word_split_across_page_break_is_rejoined():
    text = "3. 加强执法监督。严格执行行政执法三项制\n\n\n度，全面落实执法责任制。"
    assert paragraphs(text) == ["3. 加强执法监督。严格执行行政执法三项制度，全面落实执法责任制。"]


def test_unit_split_across_page_break_is_rejoined():
    text = "推进数据共享。(牵头单位:市数据局;责任单位:各县、高新\n\n区相关部门)"
    assert paragraphs(text)[-1].endswith("各县、高新区相关部门)")


def test_unit_list_line_split_across_page_break_is_rejoined():
    text = "责任单位：市司法局、市\n\n场监管局\n\n4. 完善信用修复。"
    assert paragraphs(text)[0] == "责任单位：市司法局、市场监管局"


def test_stray_timestamp_inside_sentence_is_removed():
    assert normalize_text("方案已经省政府第十次常务会议09:15:42审议通过。") == "方案已经省政府第十次常务会议审议通过。"


def test_page_furniture_lines_are_dropped():
    text = "第一段正文。\n- 3 -\n第 2 页 共 9 页\n2024-05-06 10:22\n第二段正文。"
    assert paragraphs(text) == ["第一段正文。", "第二段正文。"]


def test_heading_lines_are_not_joined_to_the_next_paragraph():
    text = "（二）优化审批流程\n\n压缩审批时限，提高办事效率。"
    assert paragraphs(text) == ["（二）优化审批流程", "压缩审批时限，提高办事效率。"]


def test_next_numbered_item_is_never_joined():
    text = "推进改革。(责任单位：市发展改革委、市商务局\n\n（七）持续优化政务服务"
    assert len(paragraphs(text)) == 2


def test_english_line_broken_mid_sentence_is_rejoined_with_a_space():
    text = "The council will publish the\n\nregister by June."
    assert paragraphs(text) == ["The council will publish the register by June."]


def test_markdown_emphasis_is_stripped():
    assert normalize_text("**（责任单位：县财政局）**") == "（责任单位：县财政局）"


def test_english_line_ending_in_a_one_letter_word_is_rejoined_with_a_space():
    text = "All staff complete a\nplain-language course."
    assert paragraphs(text) == ["All staff complete a plain-language course."]


def test_markdown_heading_keeps_its_marks_and_is_never_joined():
    text = "The council will act on the\n## 2. Housing"
    assert paragraphs(text)[-1] == "## 2. Housing"


def test_paragraph_ending_in_a_unit_list_is_not_joined_to_the_closing_words():
    text = "（三）加强督查。每月通报进度。责任单位：县督查室牵头，县住建局配合\n各乡镇要结合实际抓好贯彻落实。\n青禾县人民政府\n2027年3月1日"
    assert paragraphs(text)[1:] == ["各乡镇要结合实际抓好贯彻落实。", "青禾县人民政府", "2027年3月1日"]


def test_unit_list_cut_by_a_page_break_after_a_sentence_is_still_rejoined():
    text = "（三）加强督查。每月通报进度。责任单位：县督查室、县\n住建局\n"
    assert paragraphs(text) == ["（三）加强督查。每月通报进度。责任单位：县督查室、县住建局"]
