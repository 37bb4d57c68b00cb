"""Word export in 公文 format: word.render_docx / write_docx turn a draft into a .docx;
docx_style holds the page, fonts and page numbers (GB/T 9704 and common practice)."""
