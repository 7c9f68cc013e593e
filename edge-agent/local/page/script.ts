// The page's one inline script: forms post JSON to the API, uploads show progress, the microphone records,
// and the status line refreshes. Plain ES2017, no build step.
export const SCRIPT = `
(function(){
var csrf=(document.querySelector('meta[name=csrf]')||{}).content||'';
var W=JSON.parse(document.getElementById('words').textContent),busy=0,mr=null;
function say(form,text,good){var m=form.querySelector('.msg');if(m){m.textContent=text;m.className='msg '+(good?'good':'error');}}
function nextDay(d){var t=new Date(d+'T00:00:00Z');t.setUTCDate(t.getUTCDate()+1);return t.toISOString().slice(0,10);}
function bodyOf(form){
  var b={};new FormData(form).forEach(function(v,k){if(typeof v==='string'&&v!=='')b[k]=v;});
  if(b.date&&b.from&&b.to){b.startsAt=b.date+'T'+b.from;b.endsAt=(b.to<=b.from?nextDay(b.date):b.date)+'T'+b.to;}
  delete b.date;delete b.from;delete b.to;
  if(b.when==='now')delete b.startsAt;delete b.when;
  if(b.percent!==undefined){b.volume=Number(b.percent)/100;delete b.percent;}
  if(form.id==='speak'){b.chime={before:!!b.chimeBefore,after:!!b.chimeAfter};b.speed=Number(b.speed||1);}
  delete b.chimeBefore;delete b.chimeAfter;delete b.csrf;
  return b;
}
function post(url,body,form,btn){
  if(btn)btn.disabled=true;say(form,W.working,true);
  return fetch(url,{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json','x-csrf-token':csrf},body:JSON.stringify(body)})
  .then(function(r){return r.json().catch(function(){return {};}).then(function(j){
    if(r.ok){say(form,W.done,true);setTimeout(function(){location.reload();},300);}
    else{say(form,j.message||('HTTP '+r.status),false);if(btn)btn.disabled=false;}
  });},function(e){say(form,String(e),false);if(btn)btn.disabled=false;});
}
document.addEventListener('submit',function(ev){var form=ev.target;
  if(!form.matches||!form.matches('form[data-api]'))return;ev.preventDefault();
  post(form.getAttribute('data-api'),bodyOf(form),form,form.querySelector('button[type=submit]'));});
var stop=document.getElementById('stop'),dlg=document.getElementById('stop-dialog');
if(stop&&dlg&&dlg.showModal)stop.addEventListener('submit',function(ev){ev.preventDefault();
  fetch('/stop?part=dialog',{credentials:'same-origin'}).then(function(r){if(!r.ok)throw r.status;return r.text();})
  .then(function(h){dlg.innerHTML=h;dlg.showModal();},function(){location.href='/stop';});});
document.addEventListener('click',function(ev){var b=ev.target.closest&&ev.target.closest('[data-close]');
  if(b&&b.closest('dialog'))b.closest('dialog').close();
  var p=ev.target.closest&&ev.target.closest('[data-preview]');if(p)preview(p.form,p);});
function preview(form,btn){var au=form.querySelector('audio');btn.disabled=true;say(form,W.working,true);
  var b=bodyOf(form);b={text:b.text||'',voice:b.voice,speed:b.speed,chime:b.chime};
  fetch(btn.getAttribute('data-preview'),{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json','x-csrf-token':csrf},body:JSON.stringify(b)})
  .then(function(r){if(r.ok)return r.blob().then(function(w){au.src=URL.createObjectURL(w);au.hidden=false;say(form,'',true);au.play().catch(function(){});});
    return r.json().catch(function(){return {};}).then(function(j){say(form,j.message||('HTTP '+r.status),false);});})
  .catch(function(e){say(form,String(e),false);}).then(function(){btn.disabled=false;});}
function upload(form,file,name){
  var bar=form.querySelector('progress'),btn=form.querySelector('button[type=submit]');
  var fd=new FormData();fd.append('title',(form.querySelector('[name=title]')||{}).value||'');fd.append('file',file,name);
  var x=new XMLHttpRequest();x.open('POST','/api/clips');x.setRequestHeader('x-csrf-token',csrf);
  if(bar){bar.hidden=false;bar.value=0;}if(btn)btn.disabled=true;say(form,W.working,true);
  busy++;x.onloadend=function(){busy--;};
  x.upload.onprogress=function(e){if(bar&&e.lengthComputable)bar.value=e.loaded/e.total;};
  x.onload=function(){var j={};try{j=JSON.parse(x.responseText);}catch(e){}
    if(x.status===201){say(form,W.done+': '+j.title,true);setTimeout(function(){location.reload();},500);}
    else{say(form,j.message||('HTTP '+x.status),false);if(btn)btn.disabled=false;}};
  x.onerror=function(){say(form,'network error',false);if(btn)btn.disabled=false;};
  x.send(fd);
}
var up=document.getElementById('upload');
if(up)up.addEventListener('submit',function(ev){ev.preventDefault();var f=up.querySelector('[name=file]').files[0];if(f)upload(up,f,f.name);});
var rec=document.getElementById('record');
if(rec){
  var go=rec.querySelector('[data-rec=start]'),end=rec.querySelector('[data-rec=stop]'),clock=rec.querySelector('.elapsed');
  if(!window.isSecureContext||!navigator.mediaDevices||!window.MediaRecorder){go.disabled=true;}
  var chunks=[],t0=0,tick=null,maxMs=Number(rec.getAttribute('data-max-ms'));
  go.addEventListener('click',function(){
    navigator.mediaDevices.getUserMedia({audio:true}).then(function(stream){
      var type=['audio/webm;codecs=opus','audio/mp4','audio/webm','audio/ogg;codecs=opus'].filter(function(t){return MediaRecorder.isTypeSupported(t);})[0];
      mr=new MediaRecorder(stream,type?{mimeType:type}:undefined);chunks=[];
      mr.ondataavailable=function(e){if(e.data&&e.data.size)chunks.push(e.data);};
      mr.onstop=function(){stream.getTracks().forEach(function(t){t.stop();});clearInterval(tick);
        var mime=mr.mimeType||type||'audio/webm',blob=new Blob(chunks,{type:mime});
        upload(rec,blob,'ghi-am.'+(/mp4/.test(mime)?'m4a':/ogg/.test(mime)?'ogg':'webm'));go.disabled=false;end.disabled=true;};
      mr.start(1000);t0=Date.now();go.disabled=true;end.disabled=false;
      tick=setInterval(function(){var s=Math.floor((Date.now()-t0)/1000);clock.textContent=Math.floor(s/60)+':'+('0'+s%60).slice(-2);
        if(Date.now()-t0>=maxMs&&mr.state==='recording')mr.stop();},500);
    },function(e){say(rec,String(e),false);});
  });
  end.addEventListener('click',function(){if(mr&&mr.state==='recording')mr.stop();});
}
var out=document.querySelector('[name=percent]');
if(out)out.addEventListener('input',function(){document.getElementById('percent').textContent=out.value+'%';});
var lo=document.getElementById('logout');
if(lo)lo.addEventListener('click',function(){fetch('/api/session/logout',{method:'POST',headers:{'x-csrf-token':csrf}}).then(function(){location.reload();});});
var login=document.getElementById('login');
if(login)login.addEventListener('submit',function(ev){ev.preventDefault();var b=bodyOf(login);
  fetch('/api/session',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(b)}).then(function(r){
    return r.json().then(function(j){if(r.ok)location.reload();else say(login,j.message||('HTTP '+r.status),false);});});});
setInterval(function(){fetch('/api/status').then(function(r){return r.json();}).then(function(s){
  var p=document.getElementById('playing'),r=document.getElementById('relay');
  if(p&&p.getAttribute('data-id')!==(s.playing||'')){var a=document.activeElement;
    if(!busy&&!(mr&&mr.state==='recording')&&(!a||a===document.body)){location.reload();return;}p.setAttribute('data-id',s.playing||'');p.textContent=s.playing||W.nothing;}
  if(r)r.textContent=s.relay.on?W.on:W.off;
}).catch(function(){});},4000);
})();
`;
