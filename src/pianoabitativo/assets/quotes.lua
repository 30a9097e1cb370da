-- Italian quotation marks «…» in every format. Pandoc's smart quotes turn "…" into a Quoted element
-- that the HTML and DOCX writers print as “…”; Typst already prints «…» for `lang: it`, so its output
-- is left to Typst. Single quotes ('…') are left as they are. Used by both engines: the embedded one
-- runs it with its other filters (render/pandoc.py), Quarto through `filters:` in the document's front
-- matter (gen/quotes.lua, copied beside the document by scripts/render_document.py).
if FORMAT:match("typst") then
  return {}
end

function Quoted(el)
  if el.quotetype ~= "DoubleQuote" then
    return nil
  end
  local marked = pandoc.List({ pandoc.Str("«") })
  marked:extend(el.content)
  marked:insert(pandoc.Str("»"))
  return marked
end
