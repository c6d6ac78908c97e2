# ruff: noqa: E501 (an HTML/JS page kept as one readable string)
"""A self-contained API reference page (no CDN: it renders /v1/openapi.json in the browser)."""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reservoir API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
header{background:#14324a;color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.4rem}
main{max-width:960px;margin:0 auto;padding:1rem 2rem 4rem}
.op{background:#fff;border:1px solid #dde1e7;border-radius:8px;margin:.8rem 0;padding:.8rem 1rem}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:monospace}
.GET{color:#17693a}.POST{color:#1f4fb4}.PATCH{color:#8a5a00}.DELETE{color:#a3262a}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f0f2f5;padding:.6rem;border-radius:6px;overflow:auto}
h2{margin-top:2rem;border-bottom:1px solid #dde1e7;text-transform:capitalize}
details summary{cursor:pointer;color:#445}
</style></head>
<body><header><h1>Reservoir API reference</h1>
<div>Generated from <a style="color:#bfe0ff" href="openapi.json">openapi.json</a></div></header>
<main id="root"><p>Loading&hellip;</p></main>
<script>
function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]))}
fetch('openapi.json').then(r=>r.json()).then(doc=>{
  const byTag={};
  for(const [path,ops] of Object.entries(doc.paths)){
    for(const [method,op] of Object.entries(ops)){(byTag[op.tags[0]]=byTag[op.tags[0]]||[]).push([path,method,op]);}
  }
  let html='<p>'+esc(doc.info.description)+'</p>';
  for(const [tag,ops] of Object.entries(byTag)){
    html+='<h2>'+esc(tag)+'</h2>';
    for(const [path,method,op] of ops){
      const M=method.toUpperCase();
      html+='<div class="op"><span class="m '+M+'">'+M+'</span><code>'+esc(path)+'</code> &mdash; '+esc(op.summary);
      if(op.description){html+='<p>'+esc(op.description).replace(/\\n/g,'<br>')+'</p>';}
      const params=(op.parameters||[]).filter(p=>p.in!=='path');
      if(params.length){html+='<details><summary>Parameters</summary><ul>'+params.map(p=>'<li><code>'+esc(p.name)+'</code> ('+esc(p.in)+(p.required?', required':'')+') '+esc(p.description||'')+'</li>').join('')+'</ul></details>';}
      if(op.requestBody){const ref=op.requestBody.content['application/json'].schema.$ref.split('/').pop();
        html+='<details><summary>Request body: '+esc(ref)+'</summary><pre>'+esc(JSON.stringify(doc.components.schemas[ref],null,2))+'</pre></details>';}
      html+='<details><summary>Responses</summary><ul>';
      for(const [st,ref] of Object.entries(op.responses)){const resp=ref.$ref?doc.components.responses[ref.$ref.split('/').pop()]:ref;html+='<li><b>'+esc(st)+'</b> '+esc(resp.description)+'</li>';}
      html+='</ul></details></div>';
    }
  }
  document.getElementById('root').innerHTML=html;
});
</script></body></html>
"""
