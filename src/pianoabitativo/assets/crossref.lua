--[[
crossref.lua: Quarto table and figure cross-references for the embedded engine.

A table whose caption carries {#tbl-x} and a figure ![..](..){#fig-x} are
numbered in document order, separately for each kind, as Quarto does. The
reference @tbl-x (a pandoc citation, since there is no Quarto here) becomes:

  html, docx -> a link "Tabella 1" to #tbl-x (-@tbl-x gives "1"), and the
                caption starts with "Tabella 1: "
  typst      -> #ref(<tbl-x>): Typst numbers the figure itself and prints
                "Tabella 1" with the supplement set by the template; a caption
                without a crossref label is kept out of Typst's numbering

The kind names ("Tabella", "Figura") come from render.py in the metadata map
`piano-render.crossref-titles`. A reference to an undefined label, or a label
defined twice, fails the render: the lines "piano-crossref: unknown ID" and
"piano-crossref: duplicate ID" on stderr let render.py name the source line.
]]

local NBSP = "\u{00A0}"

local titles = { tbl = "Table", fig = "Figure" }

local function crossref_kind(id)
  local kind = id:match("^(%a+)%-.")
  if kind and titles[kind] then
    return kind
  end
  return nil
end

local function read_titles(meta)
  local settings = meta["piano-render"]
  if settings and settings["crossref-titles"] then
    for kind, title in pairs(settings["crossref-titles"]) do
      titles[kind] = pandoc.utils.stringify(title)
    end
  end
end

-- id -> number, for every table and figure with a crossref label, plus the
-- list of labels defined more than once.
local function number_floats(doc)
  local numbers, duplicates, counters = {}, {}, {}
  local function register(element, expected_kind)
    local id = element.identifier
    if id == "" or crossref_kind(id) ~= expected_kind then
      return nil
    end
    if numbers[id] then
      table.insert(duplicates, id)
      return nil
    end
    counters[expected_kind] = (counters[expected_kind] or 0) + 1
    numbers[id] = counters[expected_kind]
    return nil
  end
  doc:walk({
    traverse = "topdown",
    Table = function(t) return register(t, "tbl") end,
    Figure = function(f) return register(f, "fig") end,
  })
  return numbers, duplicates
end

local function label_text(kind, number)
  return titles[kind] .. NBSP .. tostring(number)
end

local function typst_reference(citation)
  if citation.mode == "SuppressAuthor" then
    return pandoc.RawInline("typst", "#ref(<" .. citation.id .. ">, supplement: none);")
  end
  return pandoc.RawInline("typst", "#ref(<" .. citation.id .. ">);")
end

local function linked_reference(citation, number)
  local kind = crossref_kind(citation.id)
  local text = citation.mode == "SuppressAuthor" and tostring(number) or label_text(kind, number)
  return pandoc.Link({ pandoc.Str(text) }, "#" .. citation.id, "", pandoc.Attr("", { "quarto-xref" }))
end

local function is_crossref_cite(cite)
  for _, citation in ipairs(cite.citations) do
    if not crossref_kind(citation.id) then
      return false
    end
  end
  return true
end

local function caption_with_prefix(caption, prefix)
  local inlines = { pandoc.Str(prefix .. ":"), pandoc.Space() }
  if #caption.long == 0 then
    caption.long = pandoc.Blocks({ pandoc.Plain(inlines) })
  elseif caption.long[1].content then
    local first = caption.long[1]
    first.content = pandoc.Inlines(inlines) .. first.content
    caption.long[1] = first
  else
    caption.long:insert(1, pandoc.Plain(inlines))
  end
  return caption
end

local function has_caption(caption)
  return #caption.long > 0
end

-- Typst numbers every captioned figure: an unlabeled caption is moved out of
-- the figure so that Typst's numbers stay those of the labeled ones.
local function typst_unlabeled_figure(figure)
  local blocks = figure.content:clone()
  blocks:insert(pandoc.Para(pandoc.utils.blocks_to_inlines(figure.caption.long)))
  return blocks
end

local function typst_unlabeled_table(tbl)
  local caption = pandoc.Para(pandoc.utils.blocks_to_inlines(tbl.caption.long))
  tbl.caption = pandoc.Caption()
  return { caption, tbl }
end

local function resolve(doc)
  read_titles(doc.meta)
  local numbers, duplicates = number_floats(doc)
  local unknown = {}
  local is_typst = FORMAT == "typst"

  local function reference(citation)
    local number = numbers[citation.id]
    if not number then
      table.insert(unknown, citation.id)
      return pandoc.Str("?@" .. citation.id)
    end
    if is_typst then
      return typst_reference(citation)
    end
    return linked_reference(citation, number)
  end

  local function cite(c)
    if not is_crossref_cite(c) then
      return c.content
    end
    local out = pandoc.Inlines({})
    for i, citation in ipairs(c.citations) do
      if i > 1 then
        out:extend({ pandoc.Str(","), pandoc.Space() })
      end
      if #citation.prefix > 0 then
        out:extend(citation.prefix)
        out:insert(pandoc.Space())
      end
      out:insert(reference(citation))
      out:extend(citation.suffix)
    end
    return out
  end

  local function float(element, kind)
    local number = numbers[element.identifier]
    if is_typst then
      if number or not has_caption(element.caption) then
        return nil
      end
      return kind == "tbl" and typst_unlabeled_table(element) or typst_unlabeled_figure(element)
    end
    if number then
      element.caption = caption_with_prefix(element.caption, label_text(kind, number))
      return element
    end
    return nil
  end

  doc = doc:walk({
    Cite = cite,
    Table = function(t) return float(t, "tbl") end,
    Figure = function(f) return float(f, "fig") end,
  })

  if #unknown > 0 or #duplicates > 0 then
    for _, id in ipairs(unknown) do
      io.stderr:write("piano-crossref: unknown " .. id .. "\n")
    end
    for _, id in ipairs(duplicates) do
      io.stderr:write("piano-crossref: duplicate " .. id .. "\n")
    end
    error("piano-crossref: riferimenti incrociati non risolti")
  end
  if FORMAT == "docx" then
    -- only the filters and templates need these words: keep them out of the DOCX properties
    doc.meta["piano-render"] = nil
  end
  return doc
end

return { { Pandoc = resolve } }
