--[[
quarto-docx-alt.lua: the images' alternative text in Quarto's DOCX (render/quarto.py passes it to
`quarto render --to docx` as `filters: [quarto, <this file>]`, so it runs after Quarto's own filters).

Quarto 1.10.18 moves an image's `fig-alt` to an `alt` attribute and leaves the image's description
(its inlines) empty; pandoc's DOCX writer takes the picture's `descr` from the inlines only, so every
figure came out with `descr=""`. Here an image with empty inlines gets its `alt` (or `fig-alt`)
attribute as its description. The icon Quarto puts in a callout's title row
(share/formats/docx/<kind>.png, referred to by its absolute path) gets the callout's kind as its
description ("Avviso"), the words of Quarto's _language-it.yml, and no longer its file path.
]]

local ICON_TITLES = {
  it = { note = "Nota", warning = "Avviso", important = "Importante", tip = "Consiglio", caution = "Attenzione" },
  en = { note = "Note", warning = "Warning", important = "Important", tip = "Tip", caution = "Caution" },
}
local icon_titles = ICON_TITLES.en

local function described(img)
  if #img.caption > 0 then
    return nil
  end
  local alt = img.attributes["alt"] or img.attributes["fig-alt"]
  if alt == nil or alt == "" then
    local kind = img.src:match("formats[/\\]docx[/\\](%a+)%.png$")
    alt = kind and icon_titles[kind]
  end
  if alt == nil or alt == "" then
    return nil
  end
  img.caption = pandoc.Inlines(pandoc.Str(alt))
  return img
end

return {
  {
    Meta = function(meta)
      local lang = meta.lang and pandoc.utils.stringify(meta.lang) or ""
      icon_titles = ICON_TITLES[lang:sub(1, 2)] or ICON_TITLES.en
    end,
  },
  { Image = described },
}
