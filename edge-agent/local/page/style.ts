// The station page's stylesheet: phone first (360 px wide), big touch targets, no sideways scrolling.
export const CSS = `
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1c2430;background:#f4f6f8;overflow-wrap:anywhere}
header{background:#8b1a1a;color:#fff;padding:.6rem .8rem;display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center}
header b{font-size:1.05rem;flex:1 1 12rem}header a,header button.link{color:#fff}
main{padding:.6rem;max-width:42rem;margin:0 auto}h2{font-size:1.1rem;margin:1.1rem 0 .4rem}h3{font-size:1rem;margin:.6rem 0 .3rem}
.card{background:#fff;border:1px solid #dde3ea;border-radius:.5rem;padding:.7rem;margin:.6rem 0}
.row{display:flex;flex-wrap:wrap;gap:.2rem .8rem;justify-content:space-between}.muted{color:#5b6673;font-size:.9rem}
.pill{display:inline-block;padding:0 .5rem;border-radius:.7rem;font-size:.9rem}.ok{background:#dcf3e2;color:#14532d}.bad{background:#fde2e1;color:#7f1d1d}.warn{background:#fff1c2;color:#713f12}
.alarm{background:#b91c1c;color:#fff;padding:.7rem;border-radius:.5rem;font-weight:700;margin:.6rem 0}
label{display:flex;flex-direction:column;gap:.2rem;font-size:.95rem;margin:.45rem 0}
input,select,textarea,button{font:inherit;min-height:2.9rem;padding:.45rem .6rem;border:1px solid #b8c2cc;border-radius:.4rem;background:#fff;width:100%;max-width:100%}
input[type=radio],input[type=checkbox]{width:auto;min-height:auto}input[type=range]{padding:0}
.inline{flex-direction:row;align-items:center;gap:.5rem}
button{background:#0b5cad;color:#fff;border-color:#0b5cad;font-weight:600;cursor:pointer;margin-top:.3rem}
button:disabled{background:#9aa5b1;border-color:#9aa5b1;cursor:not-allowed}
button.stop{background:#b91c1c;border-color:#b91c1c;font-size:1.25rem;min-height:3.8rem}
button.small{width:auto;min-height:2.4rem;padding:.25rem .8rem;margin:0;background:#fff;color:#b91c1c;border-color:#b91c1c}
button.link{background:none;border:none;color:inherit;padding:0;width:auto;min-height:auto;margin:0;text-decoration:underline;font-weight:400}
details{background:#fff;border:1px solid #dde3ea;border-radius:.5rem;margin:.5rem 0}
summary{padding:.8rem;font-weight:600;cursor:pointer;min-height:3rem;list-style-position:inside}details>form,details>div{padding:0 .8rem .8rem}
ul.entries{list-style:none;margin:0;padding:0}ul.entries li{display:flex;gap:.6rem;padding:.45rem .2rem;border-bottom:1px solid #eef1f4}
ul.entries time{font-variant-numeric:tabular-nums;font-weight:600;min-width:3.2rem}
li.skipped .what{color:#5b6673;text-decoration:line-through}li.skipped .why{display:block;color:#7f1d1d;text-decoration:none;font-size:.9rem}
li.onair{background:#dcf3e2}.msg{margin:.4rem 0 0;font-size:.95rem}.msg.error{color:#7f1d1d}.msg.good{color:#14532d}
#banner .banner{background:#fff1c2;color:#713f12;border:2px solid #b45309;border-radius:.5rem;padding:.7rem;margin:.6rem 0}
#banner .banner.alarm{background:#b91c1c;color:#fff;border-color:#7f1d1d;font-weight:400}#banner b{font-size:1.1rem}
dialog{border:none;border-radius:.6rem;padding:.9rem;width:min(30rem,94vw);max-height:90vh;overflow:auto}dialog::backdrop{background:rgba(0,0,0,.5)}
.confirm h2{margin-top:0}ul.held{margin:.2rem 0 .6rem;padding-left:1.2rem}
button.secondary,a.button{display:block;text-align:center;background:#fff;color:#0b5cad;border:1px solid #0b5cad;border-radius:.4rem;padding:.6rem;margin-top:.5rem;font-weight:600;text-decoration:none}
audio{width:100%;margin-top:.4rem}
progress{width:100%;height:1.2rem}code{background:#eef2f6;padding:.1rem .3rem;border-radius:.2rem}
`;
